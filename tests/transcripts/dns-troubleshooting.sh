# The chapter's DNS troubleshooting section: a dnsutils Pod (the chapter's gcr.io image: Alpine 3.4 + bind-tools 9.10), nslookup kubernetes from default and from outside it, dig, host, and the DNS Pods scaled to zero.
kubectl apply -f static/presets/sd-example.yml
kubectl apply -f dns-troubleshooting.yml
sleep 10
kubectl get pods dnsutils
kubectl exec -it dnsutils -- sh
cat /etc/resolv.conf
nslookup kubernetes
nslookup kubernetes.default
nslookup kubernetes.default.svc.cluster.local.
nslookup nope
dig kubernetes.default.svc.cluster.local
dig +short kubernetes
dig +search +short kubernetes
dig SRV _https._tcp.kubernetes.default.svc.cluster.local
dig -x 10.96.0.1
dig nope.default.svc.cluster.local
host kubernetes
host 10.96.0.10
exit
# From a Pod in dev the short name walks dev's search list and ends at "kubernetes." itself: NXDOMAIN.
kubectl exec -it dnsutils -n dev -- sh
cat /etc/resolv.conf
nslookup kubernetes
nslookup kubernetes.default
nslookup ent
exit
kubectl scale deploy coredns -n kube-system --replicas=0
sleep 30
kubectl get pods -n kube-system -l k8s-app=kube-dns
kubectl exec -it dnsutils -- sh
nslookup kubernetes
dig kubernetes.default.svc.cluster.local
exit
kubectl scale deploy coredns -n kube-system --replicas=1
sleep 10
kubectl exec -it dnsutils -- nslookup kubernetes
