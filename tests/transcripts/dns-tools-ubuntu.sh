#! --proxy-mode iptables
# The jump Pod (ubuntu) has no DNS tools until apt-get installs them: bind 9.18 (dig's .local warning, "(UDP)", communications errors on timeouts), glibc's getent, iputils ping. In iptables mode a ClusterIP does not answer ping.
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl exec -it jump --namespace dev -- bash
nslookup ent
getent hosts ent
getent hosts nope
apt-get update
apt-get install -y dnsutils iputils-ping
nslookup ent
nslookup ent.prod
nslookup kubernetes
nslookup kubernetes.default
dig ent.dev.svc.cluster.local
dig +short SRV kube-dns.kube-system.svc.cluster.local
dig +short example.com
host ent
ping -c 2 ent
exit
