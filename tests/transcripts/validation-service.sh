# Services as ValidateService (pkg/apis/core/validation) checks them, with SetDefaults_Service
# applied first: unsupported enum values, every error of one object in upstream order, defaults.
kubectl apply -f vs-enums.yml
kubectl apply -f vs-order.yml
kubectl apply -f vs-alloc-first.yml
kubectl apply -f vs-defaults.yml
kubectl get svc zero empty-name
kubectl get svc zero -o jsonpath='{.spec.ports[0].targetPort} {.spec.ports[0].protocol}'; echo
kubectl apply -f vs-traffic.yml
kubectl create service clusterip web --tcp=80:0
kubectl get svc
