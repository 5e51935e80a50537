# Two active-active Regions built only from the HCL modules: us-east-1 (the database writer) and
# us-west-2, each with a VPC, a Transit Gateway, a replicated bucket, an Aurora member and a load
# balancer; the Transit Gateways peered; Global Accelerator in front of both load balancers.
# Terraform cannot give a module a provider per for_each key, so each Region is spelled out.

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

provider "aws" {
  alias  = "us_west_2"
  region = "us-west-2"
}

variable "master_password" {
  type        = string
  description = "Master password of the database, e.g. from TF_VAR_master_password."
  sensitive   = true
  ephemeral   = true
}

locals {
  name       = "acme-shop"
  account_id = "111122223333"

  # `npx active-active subnets` prints this plan for a config file with the same Regions and CIDRs.
  subnets = {
    us-east-1 = {
      public   = { us-east-1a = "10.10.128.0/22", us-east-1b = "10.10.132.0/22", us-east-1c = "10.10.136.0/22" }
      private  = { us-east-1a = "10.10.0.0/20", us-east-1b = "10.10.16.0/20", us-east-1c = "10.10.32.0/20" }
      database = { us-east-1a = "10.10.160.0/22", us-east-1b = "10.10.164.0/22", us-east-1c = "10.10.168.0/22" }
      transit  = { us-east-1a = "10.10.192.0/28", us-east-1b = "10.10.192.16/28", us-east-1c = "10.10.192.32/28" }
    }
    us-west-2 = {
      public   = { us-west-2a = "10.20.128.0/22", us-west-2b = "10.20.132.0/22", us-west-2c = "10.20.136.0/22" }
      private  = { us-west-2a = "10.20.0.0/20", us-west-2b = "10.20.16.0/20", us-west-2c = "10.20.32.0/20" }
      database = { us-west-2a = "10.20.160.0/22", us-west-2b = "10.20.164.0/22", us-west-2c = "10.20.168.0/22" }
      transit  = { us-west-2a = "10.20.192.0/28", us-west-2b = "10.20.192.16/28", us-west-2c = "10.20.192.32/28" }
    }
  }
  # The app tiers of both Regions reach the database in either Region.
  app_cidrs = concat(values(local.subnets["us-east-1"].private), values(local.subnets["us-west-2"].private))
}

# Remote state for this configuration (bootstrap it with a local state first, then migrate).
module "state" {
  source = "../../../modules/state-backend"
  providers = {
    aws         = aws
    aws.replica = aws.us_west_2
  }

  bucket_name                   = "${local.name}-tfstate-${local.account_id}-us-east-1"
  replica_bucket_name           = "${local.name}-tfstate-${local.account_id}-us-west-2"
  lock_table_name               = "${local.name}-tfstate-lock"
  kms_key_alias                 = "alias/${local.name}-tfstate"
  replication_role_name         = "${local.name}-tfstate-replication"
  replica_replication_role_name = "${local.name}-tfstate-replication-back"
  account_id                    = local.account_id
}

# ---- us-east-1 -------------------------------------------------------------------------------

module "key_us_east_1" {
  source = "../../../modules/regional-key"

  kms_key_alias = "alias/${local.name}"
  account_id    = local.account_id
  log_group_arn_patterns = [
    "arn:aws:logs:us-east-1:${local.account_id}:log-group:/${local.name}/*",
    "arn:aws:logs:us-east-1:${local.account_id}:log-group:/aws/rds/cluster/${local.name}-us-east-1/*",
  ]
}

module "vpc_us_east_1" {
  source = "../../../modules/vpc"

  name_prefix         = "${local.name}-us-east-1"
  cidr                = "10.10.0.0/16"
  subnets             = local.subnets["us-east-1"]
  kms_key_arn         = module.key_us_east_1.key_arn
  flow_log_group_name = "/${local.name}/vpc-flow-logs"
  flow_log_role_name  = "${local.name}-vpc-flow-logs-us-east-1"
  account_id          = local.account_id
}

module "transit_us_east_1" {
  source = "../../../modules/transit-gateway"

  name_prefix     = "${local.name}-us-east-1"
  amazon_side_asn = 64512
  vpc_id          = module.vpc_us_east_1.vpc_id
  subnet_ids      = module.vpc_us_east_1.transit_subnet_ids
}

module "logs_us_east_1" {
  source = "../../../modules/s3-access-log-bucket"

  bucket_name                = "${local.name}-s3logs-${local.account_id}-us-east-1"
  kms_key_arn                = module.key_us_east_1.key_arn
  source_bucket_arn_patterns = ["arn:aws:s3:::${local.name}-*"]
  account_id                 = local.account_id
}

module "assets_us_east_1" {
  source = "../../../modules/s3-replicated-bucket"

  bucket_name            = "${local.name}-assets-${local.account_id}-us-east-1"
  kms_key_arn            = module.key_us_east_1.key_arn
  access_log_bucket_name = module.logs_us_east_1.bucket_name
}

module "database" {
  source = "../../../modules/aurora-global-database"

  global_cluster_identifier = local.name
  cluster_identifier        = "${local.name}-us-east-1"
  engine_version            = "16.6"
  master_password_wo        = var.master_password
  kms_key_arn               = module.key_us_east_1.key_arn
  vpc_id                    = module.vpc_us_east_1.vpc_id
  subnet_ids                = module.vpc_us_east_1.database_subnet_ids
  availability_zones        = keys(local.subnets["us-east-1"].database)
  allowed_cidrs             = local.app_cidrs
  monitoring_role_name      = "${local.name}-rds-monitoring-us-east-1"
  account_id                = local.account_id
}

module "ingress_us_east_1" {
  source = "../../../modules/regional-ingress"

  load_balancer_name       = local.name
  target_group_name_prefix = "${substr(local.name, 0, 4)}-"
  access_log_bucket_name   = "${local.name}-alblogs-${local.account_id}-us-east-1"
  account_id               = local.account_id
  vpc_id                   = module.vpc_us_east_1.vpc_id
  vpc_cidr                 = module.vpc_us_east_1.vpc_cidr
  subnet_ids               = module.vpc_us_east_1.public_subnet_ids
}

# ---- us-west-2 -------------------------------------------------------------------------------

module "key_us_west_2" {
  source    = "../../../modules/regional-key"
  providers = { aws = aws.us_west_2 }

  kms_key_alias = "alias/${local.name}"
  account_id    = local.account_id
  log_group_arn_patterns = [
    "arn:aws:logs:us-west-2:${local.account_id}:log-group:/${local.name}/*",
    "arn:aws:logs:us-west-2:${local.account_id}:log-group:/aws/rds/cluster/${local.name}-us-west-2/*",
  ]
}

module "vpc_us_west_2" {
  source    = "../../../modules/vpc"
  providers = { aws = aws.us_west_2 }

  name_prefix         = "${local.name}-us-west-2"
  cidr                = "10.20.0.0/16"
  subnets             = local.subnets["us-west-2"]
  kms_key_arn         = module.key_us_west_2.key_arn
  flow_log_group_name = "/${local.name}/vpc-flow-logs"
  flow_log_role_name  = "${local.name}-vpc-flow-logs-us-west-2"
  account_id          = local.account_id
}

module "transit_us_west_2" {
  source    = "../../../modules/transit-gateway"
  providers = { aws = aws.us_west_2 }

  name_prefix     = "${local.name}-us-west-2"
  amazon_side_asn = 64515
  vpc_id          = module.vpc_us_west_2.vpc_id
  subnet_ids      = module.vpc_us_west_2.transit_subnet_ids
}

module "logs_us_west_2" {
  source    = "../../../modules/s3-access-log-bucket"
  providers = { aws = aws.us_west_2 }

  bucket_name                = "${local.name}-s3logs-${local.account_id}-us-west-2"
  kms_key_arn                = module.key_us_west_2.key_arn
  source_bucket_arn_patterns = ["arn:aws:s3:::${local.name}-*"]
  account_id                 = local.account_id
}

module "assets_us_west_2" {
  source    = "../../../modules/s3-replicated-bucket"
  providers = { aws = aws.us_west_2 }

  bucket_name            = "${local.name}-assets-${local.account_id}-us-west-2"
  kms_key_arn            = module.key_us_west_2.key_arn
  access_log_bucket_name = module.logs_us_west_2.bucket_name
}

module "database_us_west_2" {
  source    = "../../../modules/aurora-secondary-cluster"
  providers = { aws = aws.us_west_2 }

  global_cluster_identifier = module.database.global_cluster_identifier
  engine                    = module.database.engine
  engine_version            = module.database.engine_version
  cluster_identifier        = "${local.name}-us-west-2"
  kms_key_arn               = module.key_us_west_2.key_arn
  vpc_id                    = module.vpc_us_west_2.vpc_id
  subnet_ids                = module.vpc_us_west_2.database_subnet_ids
  availability_zones        = keys(local.subnets["us-west-2"].database)
  allowed_cidrs             = local.app_cidrs
  monitoring_role_name      = "${local.name}-rds-monitoring-us-west-2"
  account_id                = local.account_id
}

module "ingress_us_west_2" {
  source    = "../../../modules/regional-ingress"
  providers = { aws = aws.us_west_2 }

  load_balancer_name       = local.name
  target_group_name_prefix = "${substr(local.name, 0, 4)}-"
  access_log_bucket_name   = "${local.name}-alblogs-${local.account_id}-us-west-2"
  account_id               = local.account_id
  vpc_id                   = module.vpc_us_west_2.vpc_id
  vpc_cidr                 = module.vpc_us_west_2.vpc_cidr
  subnet_ids               = module.vpc_us_west_2.public_subnet_ids
}

# ---- Between the Regions ---------------------------------------------------------------------

module "peering" {
  source = "../../../modules/transit-gateway-peering"
  providers = {
    aws          = aws
    aws.accepter = aws.us_west_2
  }

  name_prefix = local.name
  account_id  = local.account_id
  requester = {
    transit_gateway_id             = module.transit_us_east_1.transit_gateway_id
    transit_gateway_route_table_id = module.transit_us_east_1.route_table_id
    vpc_cidr                       = module.vpc_us_east_1.vpc_cidr
    vpc_route_table_ids = merge(
      { for az, id in module.vpc_us_east_1.private_route_table_ids : "private-${az}" => id },
      { database = module.vpc_us_east_1.database_route_table_id },
    )
  }
  accepter = {
    transit_gateway_id             = module.transit_us_west_2.transit_gateway_id
    transit_gateway_route_table_id = module.transit_us_west_2.route_table_id
    vpc_cidr                       = module.vpc_us_west_2.vpc_cidr
    vpc_route_table_ids = merge(
      { for az, id in module.vpc_us_west_2.private_route_table_ids : "private-${az}" => id },
      { database = module.vpc_us_west_2.database_route_table_id },
    )
  }
}

# Each Region's bucket replicates to the other: two-way, active-active.
module "assets_replication_us_east_1" {
  source = "../../../modules/s3-replication"

  role_name     = "${local.name}-assets-replication-us-east-1"
  source_bucket = { bucket_name = module.assets_us_east_1.bucket_name, bucket_arn = module.assets_us_east_1.bucket_arn, kms_key_arn = module.key_us_east_1.key_arn }
  destinations = {
    us-west-2 = { bucket_name = module.assets_us_west_2.bucket_name, bucket_arn = module.assets_us_west_2.bucket_arn, kms_key_arn = module.key_us_west_2.key_arn }
  }
}

module "assets_replication_us_west_2" {
  source    = "../../../modules/s3-replication"
  providers = { aws = aws.us_west_2 }

  role_name     = "${local.name}-assets-replication-us-west-2"
  source_bucket = { bucket_name = module.assets_us_west_2.bucket_name, bucket_arn = module.assets_us_west_2.bucket_arn, kms_key_arn = module.key_us_west_2.key_arn }
  destinations = {
    us-east-1 = { bucket_name = module.assets_us_east_1.bucket_name, bucket_arn = module.assets_us_east_1.bucket_arn, kms_key_arn = module.key_us_east_1.key_arn }
  }
}

module "accelerator" {
  source    = "../../../modules/global-accelerator"
  providers = { aws = aws.us_west_2 }

  name                 = local.name
  kms_key_alias        = "alias/${local.name}-global"
  flow_log_bucket_name = "${local.name}-galogs-${local.account_id}-us-west-2"
  account_id           = local.account_id
  endpoints = {
    us-east-1 = { load_balancer_arn = module.ingress_us_east_1.load_balancer_arn }
    us-west-2 = { load_balancer_arn = module.ingress_us_west_2.load_balancer_arn }
  }
}

output "accelerator_dns_name" {
  description = "Where clients connect: the accelerator's static anycast addresses."
  value       = module.accelerator.dns_name
}

output "database_writer_endpoint" {
  description = "Writer endpoint of the global database."
  value       = module.database.global_writer_endpoint
}
