#! --nodes 2
# describe node (describe.go describeNode): lease, conditions, capacity, system info, the non-terminated Pods on the node with their requests, allocated totals.
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl get nodes -o wide
kubectl describe node minikube-m02
kubectl describe node nope
