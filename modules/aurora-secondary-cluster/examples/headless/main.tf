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

module "aurora_secondary_cluster" {
  source = "../.."

  global_cluster_identifier = "acme-shop"
  cluster_identifier        = "acme-shop-us-west-2"
  engine                    = "aurora-postgresql"
  engine_version            = "16.6"
  kms_key_arn               = "arn:aws:kms:us-west-2:111122223333:key/5678efab-56ef-78ab-90cd-5678901234ef"
  vpc_id                    = "vpc-0f1e2d3c4b5a60002"
  subnet_ids                = ["subnet-0f1e2d3c4b5a60001", "subnet-0f1e2d3c4b5a60002", "subnet-0f1e2d3c4b5a60003"]
  availability_zones        = ["us-west-2a", "us-west-2b", "us-west-2c"]
  allowed_cidrs = [
    "10.10.0.0/20",
    "10.10.16.0/20",
    "10.10.32.0/20",
    "10.20.0.0/20",
    "10.20.16.0/20",
    "10.20.32.0/20",
  ]
  monitoring_role_name = "acme-shop-rds-monitoring-us-west-2"
  account_id           = "111122223333"
  instance_count       = 0
}

output "cluster_arn" {
  value = module.aurora_secondary_cluster.cluster_arn
}

output "cluster_identifier" {
  value = module.aurora_secondary_cluster.cluster_identifier
}

output "endpoint" {
  value = module.aurora_secondary_cluster.endpoint
}

output "port" {
  value = module.aurora_secondary_cluster.port
}

output "reader_endpoint" {
  value = module.aurora_secondary_cluster.reader_endpoint
}

output "security_group_id" {
  value = module.aurora_secondary_cluster.security_group_id
}
