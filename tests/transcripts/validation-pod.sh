# Pods and Pod templates as the API server validates them (ValidatePodCreate, ValidatePodSpec,
# validateContainers, validateContainerPorts, validatePodDNSConfig; apps ValidateDeploymentSpec,
# ValidateReplicaSetSpec) and the warnings it returns (pkg/api/pod/warnings.go).
kubectl apply -f vp-ports.yml
kubectl apply -f vp-spec.yml
kubectl apply -f vp-dns-none.yml
kubectl apply -f vp-warnings.yml
kubectl apply -f vp-warnings.yml
kubectl apply -f vp-deploy.yml
kubectl get pods,deploy
