# Services without a selector: a hand-written EndpointSlice, and hand-written Endpoints mirrored into one. kube-proxy and CoreDNS read only slices.
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl apply -f selectorless.yml
kubectl get endpointslices -n dev
kubectl get endpointslices -n dev -l endpointslice.kubernetes.io/managed-by=endpointslicemirroring-controller.k8s.io --show-labels
kubectl describe endpointslice -n dev -l kubernetes.io/service-name=mirrored
kubectl get endpoints -n dev
kubectl exec -it jump -n dev -- bash
apt-get update
apt-get install -y curl dnsutils
curl -s legacy
curl -s legacy
curl -s mirrored:8080
curl -s mirrored:8080
dig +short legacy.dev.svc.cluster.local
dig +short SRV _web._tcp.mirrored.dev.svc.cluster.local
exit
minikube ssh
ipvsadm -Ln
exit
kubectl delete endpoints mirrored -n dev
kubectl get endpointslices -n dev
