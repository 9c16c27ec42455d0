# The chapter, in its order: the cluster DNS, sd-example.yml, resolv.conf, curl by short name and FQDN, IPVS on the node.
kubectl get pods -A
kubectl get svc -A
kubectl get services -n kube-system -l k8s-app=kube-dns
kubectl get deploy -n kube-system -l k8s-app=kube-dns
kubectl get pods -n kube-system -l k8s-app=kube-dns
kubectl get endpoints kubernetes
kubectl get ep -n kube-system -l k8s-app=kube-dns
kubectl apply -f static/presets/sd-example.yml
kubectl get all -n dev
sleep 10
kubectl get all --namespace dev
kubectl get all --namespace prod
kubectl get ep -A
kubectl exec -it jump --namespace dev -- bash
cat /etc/resolv.conf
curl ent:8080
apt-get update
apt-get install -y curl
curl ent:8080
curl ent:8080
curl ent:8080
curl ent.prod.svc.cluster.local:8080
exit
minikube ssh
ipvsadm -Ln
ip addr show kube-ipvs0
exit
kubectl logs coredns-57b4fdb7d8-29n9s -n kube-system
