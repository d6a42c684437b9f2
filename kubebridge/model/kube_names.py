"""Kubernetes' name syntax, as the API machinery checks it (k8s.io/apimachinery/pkg/util/validation):
RFC 1123 labels and subdomains, RFC 1035 labels, qualified names (label and annotation keys), label values,
ConfigMap keys, IANA service (port) names.  Each *_problem() returns "" or what is wrong, in words.
"""
from __future__ import annotations

import re

DNS1123_LABEL_FMT = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + r"(\." + DNS1123_LABEL_FMT + r")*"
QUALIFIED_NAME_FMT = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
DNS1123_LABEL = re.compile(DNS1123_LABEL_FMT + r"\Z")
DNS1123_SUBDOMAIN = re.compile(DNS1123_SUBDOMAIN_FMT + r"\Z")
DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?\Z")
QUALIFIED_NAME = re.compile(QUALIFIED_NAME_FMT + r"\Z")
CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+\Z")
IANA_SVC_NAME = re.compile(r"[-a-z0-9]+\Z")
_HAS_LETTER = re.compile(r"[a-z]")


def dns_label_problem(value: str) -> str:
    if len(value) > 63:
        return "must be no more than 63 characters"
    if not DNS1123_LABEL.match(value):
        return ("must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with "
                "a letter or digit")
    return ""


def dns_subdomain_problem(value: str) -> str:
    if len(value) > 253:
        return "must be no more than 253 characters"
    if not DNS1123_SUBDOMAIN.match(value):
        return ("must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and "
                "ending with a letter or digit")
    return ""


def dns1035_problem(value: str) -> str:
    if len(value) > 63:
        return "must be no more than 63 characters"
    if not DNS1035_LABEL.match(value):
        return ("must be an RFC 1035 label: lowercase letters, digits and '-', starting with a letter and ending "
                "with a letter or digit")
    return ""


def qualified_name_problem(key: str) -> str:
    prefix, slash, name = key.rpartition("/")
    if slash and "/" in prefix:
        return "may hold at most one '/'"
    if slash:
        if not prefix:
            return "has an empty prefix before '/'"
        problem = dns_subdomain_problem(prefix)
        if problem:
            return "prefix " + problem
    if not name:
        return "has an empty name"
    if len(name) > 63:
        return "name part must be no more than 63 characters"
    if not QUALIFIED_NAME.match(name):
        return ("name part must consist of alphanumeric characters, '-', '_' or '.', and start and end with an "
                "alphanumeric character")
    return ""


def label_value_problem(value: str) -> str:
    if len(value) > 63:
        return "must be no more than 63 characters"
    if value and not QUALIFIED_NAME.match(value):
        return ("must be empty or consist of alphanumeric characters, '-', '_' or '.', starting and ending with an "
                "alphanumeric character")
    return ""


def port_name_problem(name: str) -> str:
    """IsValidPortName: an IANA_SVC_NAME (RFC 6335)."""
    if len(name) > 15:
        return "must be no more than 15 characters"
    if not IANA_SVC_NAME.match(name):
        return "must contain only lowercase letters, digits and '-'"
    if not _HAS_LETTER.search(name):
        return "must contain at least one letter"
    if "--" in name:
        return "must not contain consecutive hyphens"
    if name.startswith("-") or name.endswith("-"):
        return "must not begin or end with a hyphen"
    return ""


def is_port_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535


def port_problem(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""  # a wrong type is the schema's finding
    if value != int(value) or not 1 <= value <= 65535:
        return f"{value:g} is not a valid port number: must be from 1 to 65535"
    return ""
