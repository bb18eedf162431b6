"""A single-file AWS Lambda handler (Lambda calls `run(event, context)`: an entry point of the service) that
reads its one setting where it triggers the flow: one read, in the program's own entry module, scatters
nothing."""

import os

import boto3

client = boto3.client("stepfunctions")


def trigger(params: dict) -> dict:
    return client.start_execution(stateMachineArn=os.getenv("STATE_MACHINE_ARN"), input=str(params))


def run(event, context):
    return trigger({"key": event["Records"][0]["s3"]["object"]["key"]})
