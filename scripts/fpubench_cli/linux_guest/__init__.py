"""A full Linux guest under QEMU running the suite (not the KVM payloads in guests/)."""
