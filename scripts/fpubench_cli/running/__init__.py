"""Running things: building, the binary as a child, a run of the suite, the lock, result files, the torture, the tests."""
