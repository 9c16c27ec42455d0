# The named-ports preset: targetPort by name resolves per Pod, so v1 (8080) and v2 (9090) Pods land in different Endpoints subsets and IPVS real servers with different ports.
kubectl apply -f static/presets/named-ports.yml
sleep 15
kubectl get ep -A
kubectl describe svc shop -n shop
minikube ssh
ipvsadm -Ln
exit
