package dev.onramp.sandbox.aws.secrets;

import java.util.List;

/** One version of a secret and its staging labels (AWSCURRENT, AWSPREVIOUS). */
public record SecretVersion(
    String versionId, String secretString, List<String> stages, long createdMillis) {}
