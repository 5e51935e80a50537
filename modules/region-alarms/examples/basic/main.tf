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

module "region_alarms" {
  source = "../.."

  alarm_name_prefix        = "acme-shop-us-east-1"
  load_balancer_arn_suffix = "app/acme-shop/50dc6c495c0c9188"
  target_group_arn_suffix  = "targetgroup/acme-20260101000000/73e2d6bc24d8a067"
  db_cluster_identifier    = "acme-shop-us-east-1"
  alarm_topic_arn          = "arn:aws:sns:us-east-1:111122223333:acme-shop-alerts"
  replication_lag_seconds  = 30
}

output "healthy_hosts_alarm_arn" {
  value = module.region_alarms.healthy_hosts_alarm_arn
}

output "healthy_hosts_alarm_name" {
  value = module.region_alarms.healthy_hosts_alarm_name
}

output "http_5xx_alarm_arn" {
  value = module.region_alarms.http_5xx_alarm_arn
}

output "http_5xx_alarm_name" {
  value = module.region_alarms.http_5xx_alarm_name
}

output "impaired_alarm_arn" {
  value = module.region_alarms.impaired_alarm_arn
}

output "impaired_alarm_name" {
  value = module.region_alarms.impaired_alarm_name
}

output "replication_lag_alarm_arn" {
  value = module.region_alarms.replication_lag_alarm_arn
}

output "replication_lag_alarm_name" {
  value = module.region_alarms.replication_lag_alarm_name
}
