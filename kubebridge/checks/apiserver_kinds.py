"""The API server's checks of each kind's own fields: metadata, workloads (apps), Job and CronJob (batch), label
selectors (apimachinery), ConfigMap and Secret sizes and keys, PersistentVolumeClaim and PersistentVolume (core).

Service, Ingress, NetworkPolicy, PodDisruptionBudget, RBAC and HorizontalPodAutoscaler are in apiserver_network.
"""
from __future__ import annotations

import base64
import binascii

from kubebridge.checks.apiserver_table import Say, implements
from kubebridge.checks.apiserver_values import (
    entries,
    enum_problem,
    given,
    int32_problem,
    int_or_percent_amount,
    int_or_percent_problem,
    is_int,
    negative,
    percent_value,
    spec_of,
)
from kubebridge.model.kube_names import (
    dns_label_problem,
    dns_subdomain_problem,
    label_value_problem,
    qualified_name_problem,
)
from kubebridge.model.manifest import Manifest, as_dict, as_list


# --- metadata -----------------------------------------------------------------------------------

@implements("statefulset-name-label")
def statefulset_name(m: Manifest, say: Say) -> None:
    name = m.metadata.get("name")
    if isinstance(name, str) and name and not dns_subdomain_problem(name) and dns_label_problem(name):
        say(("metadata", "name"), f"StatefulSet name {name!r} {dns_label_problem(name)} (a StatefulSet's name is "
            "its pods' host name prefix)")


@implements("cronjob-name-length")
def cronjob_name(m: Manifest, say: Say) -> None:
    name = m.metadata.get("name")
    if isinstance(name, str) and len(name) > 52:
        say(("metadata", "name"), f"CronJob name {name!r} must be no more than 52 characters (its Jobs add 11)")


@implements("metadata-finalizers")
def finalizers(m: Manifest, say: Say) -> None:
    for i, finalizer in enumerate(as_list(m.metadata.get("finalizers"))):
        if isinstance(finalizer, str) and qualified_name_problem(finalizer):
            say(("metadata", "finalizers", i), f"finalizer {finalizer!r} {qualified_name_problem(finalizer)}")


# --- label selectors ----------------------------------------------------------------------------

def _selector_places(m: Manifest) -> list[tuple[tuple, dict]]:
    """Every metav1.LabelSelector of the object: the workload's, and the pod's affinity and spread terms."""
    places = []
    spec = spec_of(m)
    if m.kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "PodDisruptionBudget") and \
            isinstance(spec.get("selector"), dict):
        places.append((("spec", "selector"), spec["selector"]))
    if m.kind == "NetworkPolicy" and isinstance(spec.get("podSelector"), dict):
        places.append((("spec", "podSelector"), spec["podSelector"]))
    if m.pod is not None:
        affinity = as_dict(m.pod.spec.get("affinity"))
        for kind in ("podAffinity", "podAntiAffinity"):
            terms = as_dict(affinity.get(kind))
            for i, term in entries(terms, "requiredDuringSchedulingIgnoredDuringExecution"):
                if isinstance(term.get("labelSelector"), dict):
                    places.append((m.pod.path + ("affinity", kind, "requiredDuringSchedulingIgnoredDuringExecution",
                                                 i, "labelSelector"), term["labelSelector"]))
        for i, constraint in entries(m.pod.spec, "topologySpreadConstraints"):
            if isinstance(constraint.get("labelSelector"), dict):
                places.append((m.pod.path + ("topologySpreadConstraints", i, "labelSelector"),
                               constraint["labelSelector"]))
    return places


@implements("label-selectors")
def label_selectors(m: Manifest, say: Say) -> None:
    for path, selector in _selector_places(m):
        for key, value in as_dict(selector.get("matchLabels")).items():
            problem = qualified_name_problem(key) if isinstance(key, str) else ""
            if not problem and isinstance(value, str):
                problem = f"value {value!r} {label_value_problem(value)}" if label_value_problem(value) else ""
            if problem:
                say(path + ("matchLabels", key), f"matchLabels {key!r}: {problem}")
        for i, requirement in entries(selector, "matchExpressions"):
            where = path + ("matchExpressions", i)
            operator, values = requirement.get("operator"), as_list(requirement.get("values"))
            key = requirement.get("key")
            if isinstance(key, str) and qualified_name_problem(key):
                say(where + ("key",), f"key {key!r} {qualified_name_problem(key)}")
            if operator in ("In", "NotIn") and not values:
                say(where + ("values",), f"operator {operator} needs at least one value")
            elif operator in ("Exists", "DoesNotExist") and values:
                say(where + ("values",), f"operator {operator} must have no values")
            elif isinstance(operator, str) and operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
                say(where + ("operator",), f"operator {operator!r} is not a valid selector operator: use In, NotIn, "
                    "Exists or DoesNotExist")
            for j, value in enumerate(values):
                if isinstance(value, str) and label_value_problem(value):
                    say(where + ("values", j), f"value {value!r} {label_value_problem(value)}")


# --- workloads ----------------------------------------------------------------------------------

@implements("replicas")
def replicas(m: Manifest, say: Say) -> None:
    value = spec_of(m).get("replicas")
    if int32_problem(value):
        say(("spec", "replicas"), f"replicas {int32_problem(value)}: the API server cannot decode it")
    elif negative(value):
        say(("spec", "replicas"), f"replicas {value} must be greater than or equal to 0")


@implements("workload-counts")
def workload_counts(m: Manifest, say: Say) -> None:
    spec = spec_of(m)
    for key in ("minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"):
        if negative(spec.get(key)):
            say(("spec", key), f"{key} {spec[key]} must be greater than or equal to 0")
    deadline, ready = spec.get("progressDeadlineSeconds"), spec.get("minReadySeconds")
    if m.kind == "Deployment" and is_int(deadline) and deadline >= 0 and deadline <= (ready if is_int(ready) else 0):
        say(("spec", "progressDeadlineSeconds"), f"progressDeadlineSeconds {deadline} must be greater than "
            f"minReadySeconds ({ready if is_int(ready) else 0})")


def _strategy(m: Manifest) -> tuple[tuple, dict]:
    key = "strategy" if m.kind == "Deployment" else "updateStrategy"
    return ("spec", key), as_dict(spec_of(m).get(key))


@implements("update-strategies")
def update_strategies(m: Manifest, say: Say) -> None:
    path, strategy = _strategy(m)
    kind = strategy.get("type")
    allowed = {"Deployment": ("Recreate", "RollingUpdate")}.get(m.kind, ("RollingUpdate", "OnDelete"))
    problem = enum_problem(kind, allowed)
    if problem:
        say(path + ("type",), f"{path[-1]} type {problem}")
    elif kind in ("Recreate", "OnDelete") and strategy.get("rollingUpdate") is not None:
        say(path + ("rollingUpdate",), f"rollingUpdate may not be specified when the {path[-1]} type is {kind}")
    if m.kind != "StatefulSet":
        return
    spec = spec_of(m)
    problem = enum_problem(spec.get("podManagementPolicy"), ("OrderedReady", "Parallel"))
    if problem:
        say(("spec", "podManagementPolicy"), f"podManagementPolicy {problem}")
    partition = as_dict(strategy.get("rollingUpdate")).get("partition")
    if negative(partition):
        say(path + ("rollingUpdate", "partition"), f"partition {partition} must be greater than or equal to 0")
    retention = as_dict(spec.get("persistentVolumeClaimRetentionPolicy"))
    for key in ("whenDeleted", "whenScaled"):
        problem = enum_problem(retention.get(key), ("Retain", "Delete"))
        if problem:
            say(("spec", "persistentVolumeClaimRetentionPolicy", key), f"{key} {problem}")
    start = as_dict(spec.get("ordinals")).get("start")
    if negative(start):
        say(("spec", "ordinals", "start"), f"ordinals.start {start} must be greater than or equal to 0")


def _rolling_fields(m: Manifest) -> list[tuple[tuple, object, bool]]:
    """(path, value, may exceed 100%) of the int-or-percent fields of the kind."""
    if m.kind == "PodDisruptionBudget":
        spec = spec_of(m)
        return [(("spec", key), spec[key], False) for key in ("minAvailable", "maxUnavailable") if key in spec]
    path, strategy = _strategy(m)
    rolling = as_dict(strategy.get("rollingUpdate"))
    keys = ("maxUnavailable",) if m.kind == "StatefulSet" else ("maxUnavailable", "maxSurge")
    return [(path + ("rollingUpdate", key), rolling[key], m.kind == "Deployment" and key == "maxSurge")
            for key in keys if rolling.get(key) is not None]


@implements("int-or-percent")
def int_or_percent(m: Manifest, say: Say) -> None:
    for path, value, over_100 in _rolling_fields(m):
        problem = int_or_percent_problem(value)
        if problem:
            say(path, f"{path[-1]} {problem}")
        elif not over_100 and (percent_value(value) or 0) > 100:
            say(path, f"{path[-1]} {value} must not be greater than 100%")
        elif m.kind == "StatefulSet" and int_or_percent_amount(value) == 0:
            say(path, "maxUnavailable cannot be 0")


@implements("rolling-update-zero")
def rolling_update_zero(m: Manifest, say: Say) -> None:
    path, strategy = _strategy(m)
    rolling = strategy.get("rollingUpdate")
    if not isinstance(rolling, dict) or strategy.get("type") not in (None, "RollingUpdate"):
        return
    # defaults (SetDefaults_Deployment / SetDefaults_DaemonSet): 25%/25% for a Deployment, 1/0 for a DaemonSet
    unavailable = int_or_percent_amount(rolling.get("maxUnavailable", "25%" if m.kind == "Deployment" else 1))
    surge = int_or_percent_amount(rolling.get("maxSurge", "25%" if m.kind == "Deployment" else 0))
    if unavailable is None or surge is None:
        return
    if unavailable == 0 and surge == 0:
        say(path + ("rollingUpdate", "maxUnavailable"), "maxUnavailable may not be 0 when maxSurge is 0")
    elif m.kind == "DaemonSet" and unavailable and surge:
        say(path + ("rollingUpdate", "maxSurge"), "a DaemonSet's maxSurge may not be set when maxUnavailable is "
            "non-zero")


# --- Job and CronJob ----------------------------------------------------------------------------

def _job_spec(m: Manifest) -> tuple[tuple, dict]:
    if m.kind == "CronJob":
        return ("spec", "jobTemplate", "spec"), as_dict(as_dict(spec_of(m).get("jobTemplate")).get("spec"))
    return ("spec",), spec_of(m)


JOB_COUNTS = ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished",
              "backoffLimitPerIndex", "maxFailedIndexes")


@implements("job-counts")
def job_counts(m: Manifest, say: Say) -> None:
    path, spec = _job_spec(m)
    for key in JOB_COUNTS:
        if negative(spec.get(key)):
            say(path + (key,), f"{key} {spec[key]} must be greater than or equal to 0")
    mode = spec.get("completionMode")
    problem = enum_problem(mode, ("NonIndexed", "Indexed"))
    if problem:
        say(path + ("completionMode",), f"completionMode {problem}")
    elif mode == "Indexed" and spec.get("completions") is None and spec.get("parallelism") is not None:
        # SetDefaults_Job makes both 1 when both are unset; with parallelism given, completions stays unset
        say(path + ("completionMode",), "completionMode Indexed needs completions")


@implements("cronjob-schedule-required")
def cronjob_schedule_required(m: Manifest, say: Say) -> None:
    if not given(spec_of(m).get("schedule")):
        say(("spec", "schedule") if "schedule" in spec_of(m) else ("spec",), "a CronJob needs a schedule")


DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 6))
NAMES = {3: ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
         4: ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")}


def schedule_problem(schedule: str) -> str:
    """robfig/cron v3's ParseStandard, which the API server parses a CronJob's schedule with."""
    text = schedule.strip()
    if text.startswith("@"):
        if text in DESCRIPTORS or text.startswith("@every "):
            return ""
        return f"unrecognized descriptor: {text}"
    fields = text.split()
    if text.startswith(("TZ=", "CRON_TZ=")):
        fields = fields[1:]
    if len(fields) != 5:
        return f"expected exactly 5 fields, found {len(fields)}: {fields}"
    for i, (field, (label, low, high)) in enumerate(zip(fields, FIELDS)):
        for part in field.split(","):
            problem = _cron_range(part, low, high, NAMES.get(i, ()))
            if problem:
                return f"{label}: {problem}"
    return ""


def _cron_range(part: str, low: int, high: int, names: tuple) -> str:
    span, _, step = part.partition("/")
    if step and not step.isdigit():
        return f"failed to parse int from {step}"
    if span in ("*", "?"):
        return ""
    first, _, last = span.partition("-")
    numbers = []
    for value in (first, last) if last else (first,):
        if value.upper() in names:
            numbers.append(names.index(value.upper()) + low)  # JAN is 1, SUN is 0
        elif value.isdigit():
            numbers.append(int(value))
        else:
            return f"failed to parse int from {value}"
    if numbers[0] < low:
        return f"beginning of range ({numbers[0]}) below minimum ({low}): {part}"
    if numbers[-1] > high:
        return f"end of range ({numbers[-1]}) above maximum ({high}): {part}"
    if numbers[0] > numbers[-1]:
        return f"beginning of range ({numbers[0]}) beyond end of range ({numbers[-1]}): {part}"
    if step and int(step) == 0:
        return f"step of range should be a positive number: {part}"
    return ""


@implements("cronjob-spec")
def cronjob_spec(m: Manifest, say: Say) -> None:
    spec = spec_of(m)
    schedule = spec.get("schedule")
    if isinstance(schedule, str) and schedule and schedule_problem(schedule):
        say(("spec", "schedule"), f"schedule {schedule!r} is not a valid cron schedule: {schedule_problem(schedule)}")
    problem = enum_problem(spec.get("concurrencyPolicy"), ("Allow", "Forbid", "Replace"))
    if problem:
        say(("spec", "concurrencyPolicy"), f"concurrencyPolicy {problem}")
    for key in ("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        if negative(spec.get(key)):
            say(("spec", key), f"{key} {spec[key]} must be greater than or equal to 0")
    zone = spec.get("timeZone")
    if isinstance(zone, str) and _zone_problem(zone):
        say(("spec", "timeZone"), f"timeZone {zone!r} {_zone_problem(zone)}")


def _zone_problem(zone: str) -> str:
    """validateTimeZone: a name of the time zone database, not Local."""
    import re

    if zone.lower() == "local" or not zone:
        return "must be a time zone name of the IANA database (Local is not allowed)"
    for part in zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not re.fullmatch(r"[A-Za-z.\-_0-9+]{1,14}", part):
            return "must be a time zone name of the IANA database, such as Europe/Berlin"
    try:
        from zoneinfo import ZoneInfo, available_timezones

        if available_timezones():  # a Python without the database knows no zone: say nothing
            ZoneInfo(zone)
    except Exception:
        return "is not a time zone of the IANA database"
    return ""


# --- ConfigMap and Secret -----------------------------------------------------------------------

MAX_DATA = 1024 * 1024  # core.MaxSecretSize


def _decoded_size(value: object, encoded: bool) -> int:
    if not isinstance(value, str):
        return 0
    if encoded:
        try:
            return len(base64.b64decode(value, validate=True))
        except (binascii.Error, ValueError):
            return 0
    return len(value.encode())


@implements("data-size")
def data_size(m: Manifest, say: Say) -> None:
    if m.kind == "ConfigMap":
        total = sum(_decoded_size(v, False) for v in as_dict(m.data.get("data")).values()) + \
            sum(_decoded_size(v, True) for v in as_dict(m.data.get("binaryData")).values())
        path: tuple = ()
    else:
        merged = {k: _decoded_size(v, True) for k, v in as_dict(m.data.get("data")).items()}
        merged.update({k: _decoded_size(v, False) for k, v in as_dict(m.data.get("stringData")).items()})
        total, path = sum(merged.values()), ("data",)
    if total > MAX_DATA:
        say(path, f"the {m.kind}'s data is {total:,} bytes, more than the {MAX_DATA:,} (1 MiB) allowed")


SECRET_KEYS = {"kubernetes.io/tls": (("tls.crt", "tls.key"), all), "kubernetes.io/dockerconfigjson":
               ((".dockerconfigjson",), all), "kubernetes.io/dockercfg": ((".dockercfg",), all),
               "kubernetes.io/basic-auth": (("username", "password"), any), "kubernetes.io/ssh-auth":
               (("ssh-privatekey",), all)}


@implements("secret-type-keys")
def secret_type_keys(m: Manifest, say: Say) -> None:
    kind = m.data.get("type")
    keys = set(as_dict(m.data.get("data"))) | set(as_dict(m.data.get("stringData")))
    if kind == "kubernetes.io/service-account-token":
        if not given(as_dict(m.metadata.get("annotations")).get("kubernetes.io/service-account.name")):
            say(("metadata",), "a kubernetes.io/service-account-token Secret needs the annotation "
                "kubernetes.io/service-account.name")
        return
    needed, how = SECRET_KEYS.get(kind, ((), all)) if isinstance(kind, str) else ((), all)
    if needed and not how(key in keys for key in needed):
        missing = [key for key in needed if key not in keys]
        say(("type",), f"a Secret of type {kind} needs data {' and '.join(missing) if how is all else ' or '.join(needed)}")


# --- PersistentVolumeClaim and PersistentVolume -------------------------------------------------

@implements("pvc-values")
def pvc_values(m: Manifest, say: Say) -> None:
    spec = spec_of(m)
    modes = [mode for mode in as_list(spec.get("accessModes")) if isinstance(mode, str)]
    if "ReadWriteOncePod" in modes and len(modes) > 1:
        say(("spec", "accessModes"), "ReadWriteOncePod may not be combined with other access modes")
    problem = enum_problem(spec.get("volumeMode"), ("Block", "Filesystem"))
    if problem:
        say(("spec", "volumeMode"), f"volumeMode {problem}")
    storage_class = spec.get("storageClassName")
    if isinstance(storage_class, str) and storage_class and dns_subdomain_problem(storage_class):
        say(("spec", "storageClassName"), f"storageClassName {storage_class!r} {dns_subdomain_problem(storage_class)}")
    storage = as_dict(as_dict(spec.get("resources")).get("requests")).get("storage")
    from kubebridge.checks.apiserver_pod import _amount

    amount = _amount(storage)
    if amount is not None and amount <= 0:
        say(("spec", "resources", "requests", "storage"), f"storage request {storage} must be greater than zero")


PV_SOURCES = ("gcePersistentDisk", "awsElasticBlockStore", "hostPath", "glusterfs", "nfs", "rbd", "iscsi", "cinder",
              "cephfs", "fc", "flocker", "flexVolume", "azureFile", "vsphereVolume", "quobyte", "azureDisk",
              "photonPersistentDisk", "portworxVolume", "scaleIO", "local", "storageos", "csi")


@implements("pv-spec")
def pv_spec(m: Manifest, say: Say) -> None:
    spec = spec_of(m)
    if not as_list(spec.get("accessModes")):
        say(("spec",), "a PersistentVolume needs at least one access mode")
    if as_dict(spec.get("capacity")).get("storage") is None:
        say(("spec",), "a PersistentVolume needs capacity.storage")
    if not any(spec.get(key) is not None for key in PV_SOURCES):
        say(("spec",), "a PersistentVolume must specify a volume type (nfs, csi, hostPath, local...)")


@implements("pv-values")
def pv_values(m: Manifest, say: Say) -> None:
    spec = spec_of(m)
    problem = enum_problem(spec.get("persistentVolumeReclaimPolicy"), ("Delete", "Recycle", "Retain"))
    if problem:
        say(("spec", "persistentVolumeReclaimPolicy"), f"persistentVolumeReclaimPolicy {problem}")
    problem = enum_problem(spec.get("volumeMode"), ("Block", "Filesystem"))
    if problem:
        say(("spec", "volumeMode"), f"volumeMode {problem}")
    sources = [key for key in PV_SOURCES if spec.get(key) is not None]
    if len(sources) > 1:
        say(("spec", sources[1]), f"a PersistentVolume may not specify more than 1 volume type ({', '.join(sources)})")
