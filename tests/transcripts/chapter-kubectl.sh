# Every kubectl command in the chapter (shared/seed/service-discovery-chapter.md), in its order.
# `kubectl exec -it POD sh` without `--` fails as modern kubectl fails (exec.go); the chapter's
# Pod names (hello-deploy-…, coredns-74ff55c5b-28sgz) do not exist in this cluster.
kubectl get services -n kube-system -l k8s-app=kube-dns
kubectl get deploy -n kube-system -l k8s-app=kube-dns
kubectl get pods -n kube-system -l k8s-app=kube-dns
kubectl get endpoints kubernetes
kubectl exec -it hello-deploy-666cd5df7f-8vrbj sh
kubectl get svc -n kube-system -l k8s-app=kube-dns
kubectl apply -f static/presets/sd-example.yml
sleep 5
kubectl get all --namespace dev
kubectl get all --namespace prod
kubectl exec -it jump --namespace dev -- bash
exit
kubectl get deploy -n kube-system -l k8s-app=kube-dns
kubectl get pods -n kube-system -l k8s-app=kube-dns
kubectl logs coredns-74ff55c5b-28sgz -n kube-system
kubectl get svc kube-dns -n kube-system
kubectl get ep -n kube-system -l k8s-app=kube-dns
kubectl run -it dnsutils --image gcr.io/kubernetes-e2e-test-images/dnsutils:1.3
exit
kubectl get svc kubernetes
kubectl delete pod -n kube-system -l k8s-app=kube-dns
kubectl get pods -n kube-system -l k8s-app=kube-dns
