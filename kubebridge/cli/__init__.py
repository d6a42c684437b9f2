"""The command line: `kubebridge COMMAND ...` (or `python -m kubebridge COMMAND ...`).

A thin shell over the API: it parses arguments (parser.py), reads files and
writes output atomically (io.py), gathers the host's facts (host.py), calls
kubebridge.api (commands.py) and prints.  It imports nothing else of the
package but the API, errors, limits and profiles.  Every KubebridgeError ends
as one line on stderr and exit code 2.
"""
from __future__ import annotations

import os
import sys
from typing import Sequence

from kubebridge.errors import KubebridgeError, UsageError
from kubebridge.limits import LIMITS, Limits


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    """Run one command; its exit code (0 success, 1 a finding or change where the command says so, 2 an error)."""
    from kubebridge.cli.parser import build_parser

    parser = build_parser(prog or _prog())
    args, unknown = parser.parse_known_args(argv)  # --help and --version end here, before any job's code
    if unknown:  # said by the command's own parser: its usage line, not the top level's
        from kubebridge.cli.parser import unknown_arguments
        unknown_arguments(parser, getattr(args, "command", None), unknown)
    from kubebridge.cli.commands import COMMANDS
    from kubebridge.cli.io import check_output, label, warn
    from kubebridge.cli.parser import settle_output

    args.limits = Limits(max_bytes=getattr(args, "max_bytes", LIMITS.max_bytes),
                         max_documents=getattr(args, "max_documents", LIMITS.max_documents))  # snapshot reads no file
    try:
        for notice in settle_output(args):
            warn(notice)
        check_output(getattr(args, "output", None))  # before any work: a directory given as the output file
        if list(getattr(args, "inputs", None) or []).count("-") > 1:
            raise UsageError("- (standard input) given more than once: it can be read once")
        return COMMANDS[args.command](args)
    except KubebridgeError as exc:
        inputs = getattr(args, "inputs", None)
        if inputs and not isinstance(exc, UsageError):  # about the input as a whole: name it
            exc.located(", ".join(map(label, inputs)))
        print(f"kubebridge: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (| head): no noise at exit, and the status a shell gives a
        _quiet_stdout()      # writer killed by SIGPIPE (128 + 13), as git does, rather than a success
        return 141
    except OSError as exc:  # standard output cannot be written (a full disk, /dev/full)
        _quiet_stdout()
        print(f"kubebridge: error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return 2


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush of what could not be written says nothing."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _prog() -> str:
    """How the user ran us, for usage lines: `kubebridge` (the installed script) or `python -m kubebridge`."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "kubebridge" if name == "kubebridge" else "python -m kubebridge"
