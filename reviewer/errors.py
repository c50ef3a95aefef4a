"""Errors that reach the user as a one-line Chinese message and exit code 2."""


class InputError(Exception):
    """The input cannot be reviewed (unreadable, not text, empty, unsupported format)."""


class UsageError(Exception):
    """The command line or a configuration file is wrong."""
