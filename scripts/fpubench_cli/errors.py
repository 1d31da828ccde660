"""One error type whose message is the single line the user sees (what, why, how to fix)."""


class UserError(Exception):
    """A problem the user can fix; main() prints it as one line and exits 2."""
