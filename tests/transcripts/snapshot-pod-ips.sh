#! --snapshot snapshots/small-range.yaml
# host-local's last_reserved_ip (/var/lib/cni/networks/<net>/last_reserved_ip.0 on the node) is not in the API, so after an import sdplay assumes the node's last handed-out address is the highest one in use (10.244.0.5 here): the next Pods get .6, then, wrapping, .2 and .4, never an address an imported Pod holds; the range 10.244.0.0/29 (.2 to .6) is then full.
kubectl get pods -o wide
kubectl run p1 --image=busybox:1.36 --restart=Never -- sleep 3600
kubectl run p2 --image=busybox:1.36 --restart=Never -- sleep 3600
kubectl run p3 --image=busybox:1.36 --restart=Never -- sleep 3600
kubectl run p4 --image=busybox:1.36 --restart=Never -- sleep 3600
sleep 10
kubectl get pods -o wide
kubectl describe pod p4 | tail -3
