# Switching kube-proxy's mode at run time (sdplay's stand-in for editing its ConfigMap).
kubectl apply -f static/presets/sd-example.yml
sleep 10
minikube ssh
sdplay-proxy-mode
ipvsadm -Ln -t 10.99.224.96:8080
iptables-save -t nat | grep KUBE-SVC
sdplay-proxy-mode iptables
ipvsadm -Ln
iptables-save -t nat | grep "dev/ent"
nft list ruleset
sdplay-proxy-mode nftables
nft list ruleset | grep dev/ent
sdplay-proxy-mode userspace
sdplay-proxy-mode ipvs
ipvsadm -Ln -t 10.99.224.96:8080
exit
