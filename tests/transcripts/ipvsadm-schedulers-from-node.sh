#! --trace
# Schedulers by hand: virtual servers a learner builds with ipvsadm on the node, curled from the node itself (IPVS sees locally sent packets at LOCAL_OUT, bound address or not) and from a Pod (only once the address is on kube-ipvs0); kube-proxy's next sync deletes them.
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl get pods -n dev -o wide
kubectl exec -it jump -n dev -- bash
apt-get update
apt-get install -y curl
exit
minikube ssh
# wrr, weights A=4 (10.244.0.3), B=3 (10.244.0.5), C=2 (10.244.0.4). Each -a puts the new one at the list head, so adding C, B, A gives the list A B C.
sudo ipvsadm -A -t 10.0.0.100:80 -s rr
sudo ipvsadm -a -t 10.0.0.100:80 -r 10.244.0.4:8080 -m -w 2
sudo ipvsadm -a -t 10.0.0.100:80 -r 10.244.0.5:8080 -m -w 3
sudo ipvsadm -a -t 10.0.0.100:80 -r 10.244.0.3:8080 -m -w 4
# Switching to wrr runs its init_service with all three in place: the passes start at the max weight, A A B A B C A B C. (Built under wrr one at a time, ip_vs_wrr_dest_changed would keep the first destination's weight as the current weight: a partial first pass C B A.)
sudo ipvsadm -E -t 10.0.0.100:80 -s wrr
curl -s 10.0.0.100
curl -s 10.0.0.100
curl -s 10.0.0.100
curl -s 10.0.0.100
curl -s 10.0.0.100
curl -s 10.0.0.100
curl -s 10.0.0.100
curl -s 10.0.0.100
curl -s 10.0.0.100
# rr starts at the list head: the real server added last, then in reverse insertion order.
sudo ipvsadm -A -t 10.0.0.101:80 -s rr
sudo ipvsadm -a -t 10.0.0.101:80 -r 10.244.0.3:8080 -m
sudo ipvsadm -a -t 10.0.0.101:80 -r 10.244.0.5:8080 -m
sudo ipvsadm -a -t 10.0.0.101:80 -r 10.244.0.4:8080 -m
curl -s 10.0.0.101
curl -s 10.0.0.101
curl -s 10.0.0.101
sudo ipvsadm -Ln -t 10.0.0.100:80
sudo ipvsadm -Ln -t 10.0.0.101:80
exit
# From a Pod the SYN goes to the node as its default gateway; 10.0.0.100 is not local there, so it is routed on and lost.
kubectl exec jump -n dev -- curl -s --max-time 2 10.0.0.100
minikube ssh
sudo ip addr add 10.0.0.100/32 dev kube-ipvs0
sudo ip addr add 10.0.0.100/32 dev kube-ipvs0
ip addr show kube-ipvs0
exit
kubectl exec jump -n dev -- curl -s 10.0.0.100
# kube-proxy syncs at the latest every 30 s: its own virtual servers stay, the hand-made ones and the hand-added address go (cleanLegacyService; --ipvs-exclude-cidrs would keep them).
sleep 30
minikube ssh
sudo ipvsadm -Ln
ip addr show kube-ipvs0
sudo ip addr del 10.0.0.100/32 dev kube-ipvs0
curl -s --max-time 2 10.0.0.100
exit
