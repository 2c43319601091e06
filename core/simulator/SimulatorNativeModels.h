// The simulator's Bedrock control plane: ListFoundationModels, GetFoundationModel,
// ListInferenceProfiles and GetInferenceProfile.
#pragma once

#include "http/ResponseWriter.h"

#include <QByteArray>
#include <QString>

namespace quarry::bedrock {

class SimulatorNativeModels
{
public:
    // Deliberately small pages by default, so clients' nextToken handling is exercised.
    static constexpr int DefaultPageSize = 2;

    // GET /foundation-models: {"modelSummaries": [...]}, a handful of real model ids.
    static void sendFoundationModels(http::ResponseWriter &writer);
    // GET /foundation-models/{id}: {"modelDetails": {...}}, or 404 ResourceNotFoundException.
    static void sendFoundationModel(http::ResponseWriter &writer, const QString &modelId);
    // GET /inference-profiles/{id}: the profile and the models it routes to, or 404.
    static void sendInferenceProfile(http::ResponseWriter &writer, const QString &profileId);
    // GET /inference-profiles?maxResults=&nextToken=: {"inferenceProfileSummaries": [...], "nextToken"}.
    static void sendInferenceProfiles(http::ResponseWriter &writer, const QByteArray &query);
};

} // namespace quarry::bedrock
