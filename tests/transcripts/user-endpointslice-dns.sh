# Selector-less Services with hand-written EndpointSlices: CoreDNS reads the slices labelled kubernetes.io/service-name, serving endpoints whose ready condition is true or unset (not ready: false). Headless: an A per served address, the hostname's A, SRV with the slice's port, PTR of an endpoint IP. ClusterIP: the Service's IP, its SRV, and PTRs for the endpoints too.
kubectl apply -f user-endpointslice.yml
sleep 10
kubectl get svc,endpointslices -n ext
kubectl exec -it dig -n ext -- sh
dig +short db.ext.svc.cluster.local
dig primary.db.ext.svc.cluster.local
dig +short 10-10-0-12.db.ext.svc.cluster.local
dig +short 10-10-0-13.db.ext.svc.cluster.local
dig +short SRV _pg._tcp.db.ext.svc.cluster.local
dig -x 10.10.0.12
dig +short -x 10.10.0.11
dig +short -x 10.10.0.13
dig api.ext.svc.cluster.local
dig +short SRV _https._tcp.api.ext.svc.cluster.local
dig +short api-0.api.ext.svc.cluster.local
dig +short -x 10.10.0.22
exit
