# YAML limits as kubectl's go-yaml and encoding/json have them (issue 11); each message checked
# against kubectl v1.32.4 (`kubectl create --dry-run=client -f`, which parses client-side).
# The nine-line alias bomb: go-yaml's alias heuristic refuses it before anything is expanded.
kubectl apply -f limits-alias-bomb.yml
kubectl create -f limits-alias-bomb.yml
# An anchor that contains itself; an anchor from an earlier document (anchors are per document).
kubectl apply -f limits-alias-self.yml
kubectl apply -f limits-alias-unknown.yml
# 10,001 nested block sequences: go-yaml's max depth (no line: it is on line 1).
kubectl apply -f limits-depth-block.yml
# Nested deeper than 10,000 only through aliases: the YAML is read, the JSON refused.
kubectl apply -f limits-depth-json.yml
# 256 nested flow sequences: yaml-rust2's limit, sdplay's message.
kubectl apply -f limits-depth-flow.yml
# Aliases in moderation are fine.
kubectl apply -f limits-alias-ok.yml
kubectl get svc web -o jsonpath='{.spec.selector}'
