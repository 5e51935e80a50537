terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

module "regional_ingress" {
  source = "../.."

  load_balancer_name       = "acme-shop"
  target_group_name_prefix = "acme-"
  access_log_bucket_name   = "acme-shop-alblogs-111122223333-us-east-1"
  account_id               = "111122223333"
  vpc_id                   = "vpc-0a1b2c3d4e5f60001"
  vpc_cidr                 = "10.10.0.0/16"
  subnet_ids               = ["subnet-0a1b2c3d4e5f60101", "subnet-0a1b2c3d4e5f60102", "subnet-0a1b2c3d4e5f60103"]
  certificate_arn          = "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666"
  target_port              = 8080
  health_check = {
    path                = "/healthz"
    interval            = 10
    unhealthy_threshold = 3
  }
}

output "access_log_bucket_name" {
  value = module.regional_ingress.access_log_bucket_name
}

output "http_listener_arn" {
  value = module.regional_ingress.http_listener_arn
}

output "https_listener_arn" {
  value = module.regional_ingress.https_listener_arn
}

output "load_balancer_arn" {
  value = module.regional_ingress.load_balancer_arn
}

output "load_balancer_arn_suffix" {
  value = module.regional_ingress.load_balancer_arn_suffix
}

output "load_balancer_dns_name" {
  value = module.regional_ingress.load_balancer_dns_name
}

output "load_balancer_zone_id" {
  value = module.regional_ingress.load_balancer_zone_id
}

output "security_group_id" {
  value = module.regional_ingress.security_group_id
}

output "target_group_arn" {
  value = module.regional_ingress.target_group_arn
}

output "target_group_arn_suffix" {
  value = module.regional_ingress.target_group_arn_suffix
}
