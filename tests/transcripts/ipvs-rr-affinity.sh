# Repeated curls spread over both dev Pods under rr, then stick under ClientIP affinity.
kubectl apply -f static/presets/sd-example.yml
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
ipvsadm -Ln
ipvsadm -Lnc
ipvsadm -Ln --stats
sleep 121
ipvsadm -Ln -t 10.99.224.96:8080
exit
kubectl apply -f ent-affinity.yml
kubectl exec -it jump --namespace dev -- bash
curl ent:8080
curl ent:8080
curl ent:8080
exit
minikube ssh
ipvsadm -Ln
ipvsadm -Lnc
exit
