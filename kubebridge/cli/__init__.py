"""The command line: arguments, files and host facts in; the API; output out."""
