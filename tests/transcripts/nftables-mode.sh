#! --proxy-mode nftables
kubectl apply -f static/presets/sd-example.yml
sleep 10
minikube ssh
sudo nft list ruleset
exit
