#! --snapshot snapshots/kind.yaml
# A kind cluster has no minikube profile: minikube's commands fail as minikube v1.34 does without one (mustload.Partial). Its nodes are docker containers named as the nodes (providerID kind://docker/kind/NODE): docker exec opens a root shell there, without ipvsadm or sudo (kindest/node ships iptables, nftables and iproute2). cluster-info prints the API server the kubernetes Service's endpoints advertise, and iptables-save dates its header on the cluster's clock.
kubectl cluster-info
minikube ip
minikube ssh
minikube ssh -n kind-worker
minikube -p kind ip
docker exec -it kind-nope bash
docker exec -it kind-worker
docker exec kind-worker ipvsadm -Ln
docker exec kind-worker ip addr show kube-ipvs0
docker exec -it kind-worker bash
hostname
sudo iptables-save -t nat
ipvsadm -Ln
iptables-save -t nat | grep 'shop/web'
iptables-save -t nat | tail -1
logout
exit
docker exec kind-control-plane sh -c 'hostname; iptables-save | head -1'
