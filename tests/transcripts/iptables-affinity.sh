#! --proxy-mode iptables
# sessionAffinity ClientIP in iptables mode: -m recent keeps a client on one endpoint.
kubectl apply -f static/presets/sd-example.yml
kubectl apply -f ent-affinity.yml
sleep 10
kubectl exec -it jump --namespace dev -- bash
apt-get update
apt-get install -y curl
curl ent:8080
curl ent:8080
curl ent:8080
curl ent:8080
exit
minikube ssh
iptables-save -t nat | grep "dev/ent"
exit
