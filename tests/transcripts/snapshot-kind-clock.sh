#! --snapshot snapshots/kind.yaml
# Every printed wall-clock time of an imported cluster is on its own clock (the snapshot's newest timestamp is now, 2025-03-10T09:41:37Z): the Date header nginx sends, dig's WHEN, and the CoreDNS log's banner from the coredns Pods' image (registry.k8s.io/coredns/coredns:v1.11.3).
kubectl run client --image=nicolaka/netshoot --restart=Never -- sleep 3600
sleep 10
kubectl exec client -- curl -sI web.shop
kubectl exec client -- dig +noall +stats kube-dns.kube-system.svc.cluster.local
kubectl logs -n kube-system coredns-7c65d6cfc9-9x2mz
kubectl exec client -- curl -s 10.244.0.2:9153/metrics
