# describe (svc, ep, deploy, pod), create/expose/label/run, delete -f, run -it; checked against kubectl pkg/describe and pkg/cmd.
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl describe svc ent -n dev
kubectl describe svc manchester -n dev
kubectl describe ep ent -n dev
kubectl describe deploy enterprise -n dev
kubectl describe pod jump -n dev
kubectl describe svc -n kube-system
kubectl create namespace web
kubectl create deployment web --image=nginx --replicas=2 --port=80 -n web
kubectl expose deployment web --port=8080 --target-port=80 -n web
kubectl create service clusterip api --tcp=80:8080 -n web
kubectl label pod jump env=dev -n dev
kubectl label pod jump env=prod -n dev
kubectl label pod jump env- -n dev
kubectl run nginx --image=nginx
kubectl run nginx --image=nginx
kubectl run Bad --image=nginx
kubectl get svc -n web
kubectl delete -f static/presets/sd-example.yml
kubectl run -it tmp --image=busybox -- sh
cat /etc/resolv.conf
exit
