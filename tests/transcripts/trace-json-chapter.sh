#! --trace=json
# The chapter's flow as the JSON event stream (a snapshot of the --trace=json schema): apply, exec, curl ent:8080, curl the prod FQDN.
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl exec -it jump --namespace dev -- bash
apt-get update
apt-get install -y curl
curl ent:8080
curl ent.prod.svc.cluster.local:8080
