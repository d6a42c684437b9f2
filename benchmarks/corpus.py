"""A deterministic corpus of realistic manifests, as a multi-document YAML stream.

Shaped like what Helm charts and `podman kube generate` emit for small services:
per application a Deployment (app container, a sidecar, probes, resources,
env from a ConfigMap, volumes), a Service, a ConfigMap; every third
application also a Secret, a PersistentVolumeClaim and a Pod with a native
sidecar, every fifth a Job.  About one document in fifty carries a mistake
(a bad port, an unknown field, a missing image), so findings are part of the
cost measured.
"""
from __future__ import annotations

import random

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
  labels:
    app: {app}
    tier: {tier}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {app}
  template:
    metadata:
      labels:
        app: {app}
        tier: {tier}
    spec:
      containers:
      - name: {app}
        image: registry.example.com/{app}:{version}
        ports:
        - name: http
          containerPort: {port}
        env:
        - name: MODE
          value: production
        - name: LOG_LEVEL
          valueFrom:
            configMapKeyRef:
              name: {app}-config
              key: log-level
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            cpu: 500m
            memory: 256Mi
        livenessProbe:
          httpGet:
            path: /healthz
            port: http
          periodSeconds: 10
        volumeMounts:
        - name: config
          mountPath: /etc/{app}
        - name: cache
          mountPath: /var/cache/{app}
      - name: log-forwarder
        image: registry.example.com/fluent-bit:2.2
        args: ["--config", "/fluent-bit/etc/fluent-bit.conf"]
        volumeMounts:
        - name: cache
          mountPath: /var/cache/{app}
          readOnly: true
      volumes:
      - name: config
        configMap:
          name: {app}-config
      - name: cache
        emptyDir: {{}}
"""

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {app}
  labels:
    app: {app}
spec:
  selector:
    app: {app}
  ports:
  - name: http
    port: 80
    targetPort: http
"""

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {app}-config
data:
  log-level: info
  feature-flags: "search,checkout"
"""

SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: {app}-credentials
type: Opaque
data:
  username: YWRtaW4=
  password: c2VjcmV0LXBhc3N3b3Jk
"""

PVC = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {app}-data
spec:
  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: 1Gi
"""

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {app}-worker
  labels:
    app: {app}
spec:
  initContainers:
  - name: proxy
    image: registry.example.com/proxy:1.4
    restartPolicy: Always
    ports:
    - containerPort: 15001
  containers:
  - name: worker
    image: registry.example.com/{app}-worker:{version}
    command: ["/bin/worker", "--queue", "{app}"]
    env:
    - name: QUEUE
      value: {app}
  restartPolicy: Always
"""

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {app}-migrate
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: registry.example.com/{app}:{version}
        command: ["/bin/migrate", "up"]
"""

MISTAKES = [
    ("containerPort: {port}", "containerPort: 70000"),  # port out of range
    ("        image: registry.example.com/fluent-bit:2.2\n", ""),  # missing image
    ("    spec:\n      containers:", "    spec:\n      containerz: []\n      containers:"),  # unknown field
    ("      restartPolicy: Never", "      restartPolicy: Always"),  # a Job may not restart Always
]


def corpus(documents: int, seed: int = 1) -> str:
    """About `documents` documents, joined by ---."""
    rng = random.Random(seed)
    docs: list[str] = []
    i = 0
    while len(docs) < documents:
        app = f"svc{i:05d}"
        fields = {"app": app, "tier": rng.choice(["web", "api", "batch"]), "replicas": rng.randint(1, 4),
                  "version": f"1.{rng.randint(0, 30)}.{rng.randint(0, 9)}", "port": rng.choice([8080, 8000, 3000])}
        group = [DEPLOYMENT, SERVICE, CONFIGMAP]
        if i % 3 == 0:
            group += [SECRET, PVC, POD]
        if i % 5 == 0:
            group.append(JOB)
        for template in group:
            text = template
            if rng.random() < 0.02:
                wrong, right = rng.choice(MISTAKES)
                text = text.replace(wrong, right, 1)
            docs.append(text.format(**fields))
        i += 1
    return "---\n".join(docs[:documents])


BACKUP_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backups.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Backup, plural: backups}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [schedule, source]
            properties:
              schedule: {type: string}
              keep: {type: integer, minimum: 1, default: 7}
              port: {x-kubernetes-int-or-string: true}
              suspend: {type: boolean, nullable: true}
              source:
                type: object
                required: [claimName]
                properties:
                  claimName: {type: string}
                  paths: {type: array, items: {type: string}, x-kubernetes-list-type: set}
              targets:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    bucket: {type: string}
              options: {type: object, x-kubernetes-preserve-unknown-fields: true}
              template: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}
          status: {type: object, x-kubernetes-preserve-unknown-fields: true}
"""

BACKUP = """\
apiVersion: example.com/v1
kind: Backup
metadata:
  name: {app}-backup
  labels:
    app: {app}
spec:
  schedule: "0 3 * * *"
  port: metrics
  suspend: null
  source:
    claimName: {app}-data
    paths: [/data, /etc/{app}]
  targets:
  - name: primary
    bucket: s3://backups/{app}
  - name: replica
    bucket: s3://replica/{app}
  options:
    compress: zstd
    level: 3
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata: {{name: {app}-backup-settings}}
"""

BACKUP_MISTAKES = [("  schedule: ", "  keep: 0\n  schedule: "), ("    claimName", "    claimname"),
                   ("  - name: replica", "  - name: primary")]


def custom_corpus(documents: int, seed: int = 1) -> str:
    """corpus(), with one document in ten a custom resource of a CRD that comes last in the stream (so check must
    find it before it checks the resources); about 2% of the resources carry a mistake."""
    rng = random.Random(seed)
    plain = corpus(documents, seed).split("---\n")
    docs: list[str] = []
    for i, doc in enumerate(plain):
        if len(docs) >= documents - 1:
            break
        docs.append(doc)
        if i % 9 == 8 and len(docs) < documents - 1:
            text = BACKUP
            if rng.random() < 0.02:
                wrong, right = rng.choice(BACKUP_MISTAKES)
                text = text.replace(wrong, right, 1)
            docs.append(text.format(app=f"svc{i:05d}"))
    docs.append(BACKUP_CRD)
    return "---\n".join(docs)


if __name__ == "__main__":
    import sys
    sys.stdout.write(corpus(int(sys.argv[1]) if len(sys.argv) > 1 else 20000))
