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


ENV_VAR_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*\Z")
PERCENT = re.compile(r"[0-9]+%\Z")
HTTP_HEADER_NAME = re.compile(r"[-A-Za-z0-9]+\Z")
SYSCTL_NAME = re.compile(r"([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?\Z")
WILDCARD_SUBDOMAIN = re.compile(r"\*\." + DNS1123_SUBDOMAIN_FMT + r"\Z")


def env_var_name_problem(name: str, relaxed: bool) -> str:
    """IsEnvVarName (strict), or IsRelaxedEnvVarName: printable ASCII but '=' (RelaxedEnvironmentVariableValidation,
    on by default from Kubernetes 1.32)."""
    if relaxed:
        if any(not " " <= ch <= "~" or ch == "=" for ch in name):
            return "must consist only of printable ASCII characters other than '='"
        return ""
    if not ENV_VAR_NAME.match(name):
        return ("must consist of letters, digits, '_', '-' or '.', and must not start with a digit (the regex "
                "[-._a-zA-Z][-._a-zA-Z0-9]*)")
    if name in (".", "..") or name.startswith(".."):
        return "must not be '.' or '..' or start with '..'"
    return ""


def percent_problem(value: str) -> str:
    """IsValidPercent: digits and a '%' (1%, 93%)."""
    return "" if PERCENT.match(value) else "must be an integer or a percentage such as '25%'"


def path_segment_problem(name: str) -> str:
    """IsValidPathSegmentName: the name goes into a URL path (RBAC objects, HPA targets)."""
    if name in (".", ".."):
        return f"may not be {name!r}"
    for bad in ("/", "%"):
        if bad in name:
            return f"may not contain {bad!r}"
    return ""


def relative_path_problem(path: str) -> str:
    """validateLocalNonReservedPath: relative, with no '..' element, and not starting with '..'."""
    if path.startswith("/"):
        return "must be a relative path"
    if ".." in path.replace("\\", "/").split("/"):
        return "must not contain '..'"
    if path.startswith(".."):
        return "must not start with '..'"
    return ""


def ip_problem(value: str) -> str:
    """IsValidIP, with Kubernetes' legacy parsing (netutils.ParseIPSloppy: IPv4 parts may have leading zeros)."""
    import ipaddress

    try:
        ipaddress.ip_address(value)
        return ""
    except ValueError:
        parts = value.split(".")
        if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) <= 255 for p in parts):
            return ""
        return "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"


def cidr_problem(value: str) -> str:
    """IsValidCIDR, with legacy parsing (net.ParseCIDR after leading zeros are dropped)."""
    import ipaddress

    address, slash, bits = value.partition("/")
    if not slash or not bits.isdigit():
        return "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
    parts = address.split(".")
    if len(parts) == 4 and all(p.isdigit() for p in parts):
        address = ".".join(str(int(p)) for p in parts)
    try:
        ipaddress.ip_network(f"{address}/{int(bits)}", strict=False)
    except ValueError:
        return "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
    return ""
