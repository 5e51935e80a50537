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
  region = "us-west-2"
}

module "global_accelerator" {
  source = "../.."

  name           = "acme-shop"
  listener_ports = [80]
  endpoints = {
    us-east-1 = {
      load_balancer_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/acme-shop/0a1b2c3d4e5f6001"
    }
    us-west-2 = {
      load_balancer_arn = "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/acme-shop/0a1b2c3d4e5f6002"
    }
  }
  flow_log_bucket_name          = "acme-shop-galogs-111122223333-us-west-2"
  kms_key_alias                 = "alias/acme-shop-global"
  account_id                    = "111122223333"
  ip_address_type               = "DUAL_STACK"
  flow_log_bucket_force_destroy = true
}

output "dns_name" {
  value = module.global_accelerator.dns_name
}

output "flow_log_bucket_name" {
  value = module.global_accelerator.flow_log_bucket_name
}

output "hosted_zone_id" {
  value = module.global_accelerator.hosted_zone_id
}

output "ip_sets" {
  value = module.global_accelerator.ip_sets
}

output "kms_key_arn" {
  value = module.global_accelerator.kms_key_arn
}

output "listener_arns" {
  value = module.global_accelerator.listener_arns
}
