{{/* The release's base name, at most 63 characters (a DNS label). */}}
{{- define "ride.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels every object carries; `component` names the program (scorer, web, batch). */}}
{{- define "ride.labels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: ride-duration
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "ride.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The scorer's most replicas: the values' maximum, or the input topic's partitions. */}}
{{- define "ride.scorerMaxReplicas" -}}
{{- .Values.scorer.autoscaling.maxReplicas | default .Values.kafka.inputPartitions -}}
{{- end -}}

{{/* Environment from Secrets: SASL credentials, the TLS CA, the MLflow token. */}}
{{- define "ride.secretEnv" -}}
{{- include "ride.kafkaSecretEnv" . }}
{{- include "ride.mlflowTokenEnv" . }}
{{- end -}}

{{/* The Kafka credentials from their Secrets, for every program that talks to Kafka. */}}
{{- define "ride.kafkaSecretEnv" -}}
{{- with .Values.kafka.sasl }}
{{- if .mechanism }}
- name: KAFKA_SASL_USERNAME
  valueFrom: { secretKeyRef: { name: {{ .secret | quote }}, key: username } }
- name: KAFKA_SASL_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ .secret | quote }}, key: password } }
{{- end }}
{{- end }}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret }}
- name: KAFKA_SSL_CA
  valueFrom: { secretKeyRef: { name: {{ .Values.kafka.tls.caSecret | quote }}, key: ca.crt } }
{{- end }}
{{- end -}}

{{/* The MLflow token from its Secret, for every program that loads models:/ references. */}}
{{- define "ride.mlflowTokenEnv" -}}
{{- if .Values.model.mlflow.tokenSecret }}
- name: MLFLOW_TRACKING_TOKEN
  valueFrom: { secretKeyRef: { name: {{ .Values.model.mlflow.tokenSecret | quote }}, key: token } }
{{- end }}
{{- end -}}

{{/* What every container shares: non-root, read-only root filesystem, no capabilities, no privilege escalation. */}}
{{- define "ride.containerSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 1000
  runAsGroup: 1000
  readOnlyRootFilesystem: true
  allowPrivilegeEscalation: false
  capabilities: { drop: [ALL] }
  seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{- define "ride.podScheduling" -}}
{{- with .Values.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.images.pullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The batch scorer's pod, in a Job or a CronJob. */}}
{{- define "ride.batchPod" -}}
metadata:
  labels: {{- include "ride.selector" (dict "root" . "component" "batch") | nindent 4 }}
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 }
  {{- include "ride.podScheduling" . | nindent 2 }}
  containers:
    - name: batch
      image: {{ .Values.images.web | quote }}
      imagePullPolicy: {{ .Values.images.pullPolicy }}
      command: [node, consumer/dist/batch/main.js, {{ .Values.batch.input | quote }}, {{ .Values.batch.output | quote }}, --json]
      {{- include "ride.containerSecurity" . | nindent 6 }}
      envFrom:
        - configMapRef: { name: {{ include "ride.fullname" . }} }
      {{- if .Values.model.mlflow.tokenSecret }}
      env: {{- include "ride.mlflowTokenEnv" . | nindent 8 }}
      {{- end }}
      resources: {{- toYaml .Values.batch.resources | nindent 8 }}
      volumeMounts:
        - { name: data, mountPath: /data }
        - { name: tmp, mountPath: /tmp }
  volumes:
    - name: data
      persistentVolumeClaim: { claimName: {{ .Values.batch.dataClaim | quote }} }
    - name: tmp
      emptyDir: {}
{{- end -}}

{{/*
Checks across values that the schema cannot express, each failing with the value, the problem and the fix.
Included once, by the ConfigMap (always rendered).
*/}}
{{- define "ride.validate" -}}
{{- range $broker := splitList "," .Values.kafka.brokers }}
{{- if not (regexMatch "^[^:\\s]+:[0-9]{1,5}$" (trim $broker)) }}
{{- fail (printf "kafka.brokers: %q is not host:port. List every bootstrap server as host:port, comma-separated (kafka-0.kafka:9092,kafka-1.kafka:9092)." $broker) }}
{{- end }}
{{- end }}
{{- if and .Values.kafka.sasl.mechanism (not .Values.kafka.sasl.secret) }}
{{- fail (printf "kafka.sasl.mechanism is %s but kafka.sasl.secret is empty: name the Secret that holds the keys username and password." .Values.kafka.sasl.mechanism) }}
{{- end }}
{{- $s := .Values.scorer }}
{{- if and $s.enabled (le (mul (int $s.terminationGracePeriodSeconds) 1000) (int $s.shutdownTimeoutMs)) }}
{{- fail (printf "scorer.terminationGracePeriodSeconds (%d s) must exceed scorer.shutdownTimeoutMs (%d ms): Kubernetes would SIGKILL a member still leaving its group. Raise the grace period or lower the timeout." (int $s.terminationGracePeriodSeconds) (int $s.shutdownTimeoutMs)) }}
{{- end }}
{{- if and $s.enabled $s.autoscaling.enabled }}
{{- $max := include "ride.scorerMaxReplicas" . | int }}
{{- if gt $max (int .Values.kafka.inputPartitions) }}
{{- fail (printf "scorer.autoscaling.maxReplicas (%d) is above kafka.inputPartitions (%d): members beyond the input topic's partitions get none and sit idle. Lower maxReplicas or raise inputPartitions." $max (int .Values.kafka.inputPartitions)) }}
{{- end }}
{{- if gt (int $s.autoscaling.minReplicas) $max }}
{{- fail (printf "scorer.autoscaling.minReplicas (%d) is above the most replicas (%d). Lower minReplicas." (int $s.autoscaling.minReplicas) $max) }}
{{- end }}
{{- end }}
{{- if and $s.enabled $s.canary.enabled }}
{{- if not $s.canary.modelPath }}
{{- fail "scorer.canary.enabled is true but scorer.canary.modelPath is empty: name the candidate model (a folder in the image, an http(s) URL, or models:/ride-duration@challenger), or set scorer.canary.enabled=false." }}
{{- end }}
{{- if hasKey $s.extraEnv "SHADOW_MODEL_PATH" }}
{{- fail "scorer.canary.enabled and scorer.extraEnv.SHADOW_MODEL_PATH together: the scorer runs one candidate at a time (a canary or a shadow). Remove scorer.extraEnv.SHADOW_MODEL_PATH or set scorer.canary.enabled=false." }}
{{- end }}
{{- if not .Values.evaluator.enabled }}
{{- fail "scorer.canary.enabled is true but evaluator.enabled is false: the canary is compared with the champion on the evaluator's windows in kafka.evaluationsTopic, so without them a worse candidate would keep its share. Set evaluator.enabled=true (with completions sent to kafka.completionsTopic), or scorer.canary.enabled=false." }}
{{- end }}
{{- end }}
{{- range $k, $_ := $s.extraEnv }}
{{- if or (hasPrefix "CANARY_" $k) (eq $k "EVALUATIONS_TOPIC") }}
{{- fail (printf "scorer.extraEnv.%s: the chart sets the canary's variables itself. Use scorer.canary.* (and kafka.evaluationsTopic) instead." $k) }}
{{- end }}
{{- end }}
{{- if and .Values.web.enabled .Values.web.autoscaling.enabled (gt (int .Values.web.autoscaling.minReplicas) (int .Values.web.autoscaling.maxReplicas)) }}
{{- fail (printf "web.autoscaling.minReplicas (%d) is above web.autoscaling.maxReplicas (%d). Lower minReplicas or raise maxReplicas." (int .Values.web.autoscaling.minReplicas) (int .Values.web.autoscaling.maxReplicas)) }}
{{- end }}
{{- $e := .Values.evaluator }}
{{- if $e.enabled }}
{{- if gt (int $e.replicas) (int .Values.kafka.inputPartitions) }}
{{- fail (printf "evaluator.replicas (%d) is above kafka.inputPartitions (%d): the evaluator's group gives partition k of both inputs to one member, so members beyond the partitions get none and sit idle. Lower evaluator.replicas or raise kafka.inputPartitions." (int $e.replicas) (int .Values.kafka.inputPartitions)) }}
{{- end }}
{{- if le (mul (int $e.terminationGracePeriodSeconds) 1000) (int $e.shutdownTimeoutMs) }}
{{- fail (printf "evaluator.terminationGracePeriodSeconds (%d s) must exceed evaluator.shutdownTimeoutMs (%d ms): Kubernetes would SIGKILL a member still committing and leaving its group. Raise the grace period or lower the timeout." (int $e.terminationGracePeriodSeconds) (int $e.shutdownTimeoutMs)) }}
{{- end }}
{{- $topics := list .Values.kafka.predictionsTopic .Values.kafka.completionsTopic .Values.kafka.evaluationsTopic }}
{{- if lt (len (uniq $topics)) 3 }}
{{- fail (printf "kafka.predictionsTopic, kafka.completionsTopic and kafka.evaluationsTopic must differ (%s): the evaluator reads the first two and writes the third. Give each its own topic." (join ", " $topics)) }}
{{- end }}
{{- if and (eq $e.groupProtocol "consumer") (ne .Values.kafka.client "platformatic") }}
{{- fail (printf "evaluator.groupProtocol is consumer (KIP-848) but kafka.client is %s, which speaks only the classic protocol. Set evaluator.groupProtocol=classic or kafka.client=platformatic." .Values.kafka.client) }}
{{- end }}
{{- end }}
{{- if and .Values.batch.enabled (not .Values.batch.dataClaim) }}
{{- fail "batch.dataClaim is empty: the batch scorer reads and writes parquet files on a volume. Name an existing PersistentVolumeClaim (mounted at /data), or set batch.enabled=false." }}
{{- end }}
{{- end -}}
