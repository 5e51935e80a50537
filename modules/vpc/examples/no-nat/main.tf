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

module "vpc" {
  source = "../.."

  name_prefix = "acme-shop-us-east-1"
  cidr        = "10.10.0.0/16"
  subnets = {
    public = {
      us-east-1a = "10.10.128.0/22"
      us-east-1b = "10.10.132.0/22"
      us-east-1c = "10.10.136.0/22"
    }
    private = {
      us-east-1a = "10.10.0.0/20"
      us-east-1b = "10.10.16.0/20"
      us-east-1c = "10.10.32.0/20"
    }
    database = {
      us-east-1a = "10.10.160.0/22"
      us-east-1b = "10.10.164.0/22"
      us-east-1c = "10.10.168.0/22"
    }
    transit = {
      us-east-1a = "10.10.192.0/28"
      us-east-1b = "10.10.192.16/28"
      us-east-1c = "10.10.192.32/28"
    }
  }
  nat_gateways        = "none"
  kms_key_arn         = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  flow_log_group_name = "/acme-shop/vpc-flow-logs"
  flow_log_role_name  = "acme-shop-vpc-flow-logs-us-east-1"
  account_id          = "111122223333"
  interface_endpoints = ["ecr.api", "ecr.dkr", "logs", "sts", "kms", "secretsmanager"]
}

output "database_route_table_id" {
  value = module.vpc.database_route_table_id
}

output "database_subnet_ids" {
  value = module.vpc.database_subnet_ids
}

output "private_route_table_ids" {
  value = module.vpc.private_route_table_ids
}

output "private_subnet_ids" {
  value = module.vpc.private_subnet_ids
}

output "public_route_table_id" {
  value = module.vpc.public_route_table_id
}

output "public_subnet_ids" {
  value = module.vpc.public_subnet_ids
}

output "transit_route_table_id" {
  value = module.vpc.transit_route_table_id
}

output "transit_subnet_ids" {
  value = module.vpc.transit_subnet_ids
}

output "vpc_cidr" {
  value = module.vpc.vpc_cidr
}

output "vpc_id" {
  value = module.vpc.vpc_id
}

output "vpc_ipv6_cidr_block" {
  value = module.vpc.vpc_ipv6_cidr_block
}
