"""The fpubench command line: set-up, runs and tests. Reporting modules come alongside."""
