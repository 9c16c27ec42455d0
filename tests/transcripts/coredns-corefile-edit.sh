# Editing the Corefile: CoreDNS's reload plugin notices the new ConfigMap within ~30 s and logs the reload; the new TTL shows in answers and, with `log` gone, queries are no longer logged.
kubectl run dnsutils --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3 -- sleep infinity
sleep 10
kubectl exec dnsutils -- dig +noall +answer kube-dns.kube-system.svc.cluster.local
kubectl apply -f coredns-custom.yml
sleep 40
kubectl logs coredns-57b4fdb7d8-29n9s -n kube-system
kubectl exec dnsutils -- dig +noall +answer kube-dns.kube-system.svc.cluster.local
kubectl logs coredns-57b4fdb7d8-29n9s -n kube-system | tail -n 2
