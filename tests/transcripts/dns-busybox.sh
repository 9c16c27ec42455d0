# busybox's own nslookup (networking/nslookup.c): no libc walk. A short name is asked with every search domain (never bare), A and AAAA, each reply printed; a dotted name is asked as-is only, so kubernetes.default is NXDOMAIN. Since kube-proxy 1.27 a ClusterIP never answers ping; in IPVS mode the port-unreachable reply is ignored by busybox ping, so every echo counts as lost.
kubectl apply -f dns-busybox.yml
sleep 10
kubectl exec -it bb -- sh
cat /etc/resolv.conf
nslookup kubernetes
nslookup kubernetes.default
nslookup kubernetes.default.svc.cluster.local
nslookup 10.96.0.10
nslookup example.com
ping -c 2 kubernetes
ping -c 1 nope
exit
