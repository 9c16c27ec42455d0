#! --nodes 2
# minikube's node access: the primary's IP, ssh into a node by its machine name or its config name (m02), the messages for a node or profile that does not exist (minikube v1.34), and docker exec into the docker driver's node container (root, a bash that is no login shell).
kubectl cluster-info
minikube ip
minikube ip -n minikube-m02
minikube ssh -n m02
hostname
exit
minikube ssh -n nope
minikube -p dev ssh
docker exec -it minikube bash
hostname
exit
