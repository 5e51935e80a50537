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

variable "master_password" {
  type        = string
  description = "Master password of the primary cluster, e.g. from TF_VAR_master_password."
  sensitive   = true
  ephemeral   = true
}

module "aurora_global_database" {
  source = "../.."

  global_cluster_identifier = "acme-shop"
  cluster_identifier        = "acme-shop-us-east-1"
  engine                    = "aurora-mysql"
  engine_version            = "8.0.mysql_aurora.3.08.0"
  kms_key_arn               = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  vpc_id                    = "vpc-0a1b2c3d4e5f60001"
  subnet_ids                = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"]
  availability_zones        = ["us-east-1a", "us-east-1b", "us-east-1c"]
  allowed_cidrs = [
    "10.10.0.0/20",
    "10.10.16.0/20",
    "10.10.32.0/20",
    "10.20.0.0/20",
    "10.20.16.0/20",
    "10.20.32.0/20",
  ]
  monitoring_role_name = "acme-shop-rds-monitoring-us-east-1"
  account_id           = "111122223333"
  master_password_wo   = var.master_password
  instance_class       = "db.serverless"
  serverlessv2_scaling_configuration = {
    min_capacity = 1
    max_capacity = 8
  }
  instance_count = 3
  port           = 3307
}

output "cluster_arn" {
  value = module.aurora_global_database.cluster_arn
}

output "cluster_identifier" {
  value = module.aurora_global_database.cluster_identifier
}

output "endpoint" {
  value = module.aurora_global_database.endpoint
}

output "engine" {
  value = module.aurora_global_database.engine
}

output "engine_version" {
  value = module.aurora_global_database.engine_version
}

output "engine_version_actual" {
  value = module.aurora_global_database.engine_version_actual
}

output "global_cluster_identifier" {
  value = module.aurora_global_database.global_cluster_identifier
}

output "global_writer_endpoint" {
  value = module.aurora_global_database.global_writer_endpoint
}

output "port" {
  value = module.aurora_global_database.port
}

output "reader_endpoint" {
  value = module.aurora_global_database.reader_endpoint
}

output "security_group_id" {
  value = module.aurora_global_database.security_group_id
}
