#! --seed 3
# Capacity (kube-scheduler NodeResourcesFit): a node holds at most 110 Pods (kubelet --max-pods; Node status pods: 110), the seven system Pods on minikube included, Terminating ones too. Past that the Pod stays Pending with FailedScheduling "Too many pods"; preemption finds no victims (every Pod has priority 0). A waiting Pod is scheduled as soon as a Pod leaves the node.
kubectl create deployment web --image=nginx --replicas=100
sleep 20
kubectl describe node minikube | grep "Non-terminated"
kubectl scale deployment web --replicas=115
sleep 20
kubectl get pods | grep Pending
kubectl get pods | grep Running | wc -l
kubectl describe node minikube | grep "Non-terminated"
kubectl create deployment late --image=nginx
kubectl describe pod -l app=late
kubectl get events | grep FailedScheduling | wc -l
# Scaling down deletes the unscheduled Pods first; the next one to leave the node makes room for late.
kubectl scale deployment web --replicas=102
sleep 5
kubectl get pods | grep Pending
kubectl get pods -l app=late -o wide
kubectl describe pod -l app=late | tail -n 6
