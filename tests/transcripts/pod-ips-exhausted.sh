#! --seed 5 --node-cidr-mask-size 26
# Pod IPs run out before the 110-Pod limit when the node's Pod CIDR is small: with --node-cidr-mask-size 26 host-local's range is 10.244.0.1-10.244.0.62, less the bridge's .1: 61 addresses, coredns holding one. The scheduler knows nothing of addresses; the kubelet's sandbox fails (FailedCreatePodSandBox), the Pod stays ContainerCreating without an IP and the kubelet tries again every 10-15 s; from the tenth different message on (each names a new sandbox) client-go combines them.
kubectl describe node minikube | grep PodCIDR
kubectl create deployment fill --image=nginx --replicas=58
sleep 20
kubectl create deployment web --image=nginx --replicas=5
sleep 30
kubectl get pods -l app=web -o wide
kubectl get events | grep FailedCreatePodSandBox | head -n 1
sleep 120
kubectl get pods -l app=web | grep ContainerCreating | wc -l
kubectl describe pods -l app=web | grep "combined from similar events" | head -n 1
# Three fill Pods fewer: their addresses go back to host-local and the waiting sandboxes get them on their next try.
kubectl scale deployment fill --replicas=55
sleep 20
kubectl get pods -l app=web -o wide
