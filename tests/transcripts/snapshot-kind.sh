#! --snapshot snapshots/kind.yaml
# A kind cluster's snapshot (kubectl get nodes,ns,deploy,rs,pods,svc,endpoints,endpointslices,configmaps -A -o yaml) loaded as that cluster: names, IPs, ClusterIPs and NodePorts kept, AGE as on the cluster when the snapshot was taken; the DaemonSet Pods (kindnet, kube-proxy) are listed as not imported.
kubectl get nodes -o wide
kubectl get pods -A -o wide
kubectl get svc -A
kubectl get deploy,rs -A
kubectl get endpointslices -A
kubectl run probe --image=busybox:1.36 --restart=Never -- sleep 3600
sleep 10
kubectl get pod probe -o wide
kubectl exec probe -- nslookup web.shop.svc.cluster.local
kubectl exec probe -- nslookup kube-dns.kube-system.svc.cluster.local
kubectl get pods -n shop -o wide
kubectl run client --image=curlimages/curl:8.12.1 --restart=Never -- sleep 3600
sleep 10
kubectl exec client -- curl -s web.shop
kubectl exec client -- curl -s http://10.96.141.27/
kubectl describe svc web -n shop
kubectl get endpointslices -n shop
# The manifests the Deployment and Service were applied from: their last-applied-configuration came with the snapshot, so nothing changes.
kubectl apply -f snapshots/shop-web.yml
kubectl get rs -n shop
