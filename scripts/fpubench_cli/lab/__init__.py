"""Kernel labs: fpubench's figures as LAVA, LKP and KCIDB take them, and theirs back as result sets."""
