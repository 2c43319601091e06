// The simulator's Bedrock control plane: ListFoundationModels and ListInferenceProfiles.
#pragma once

#include "http/ResponseWriter.h"

#include <QByteArray>

namespace quarry::bedrock {

class SimulatorNativeModels
{
public:
    // Deliberately small pages by default, so clients' nextToken handling is exercised.
    static constexpr int DefaultPageSize = 2;

    // GET /foundation-models: {"modelSummaries": [...]}, a handful of real model ids.
    static void sendFoundationModels(http::ResponseWriter &writer);
    // GET /inference-profiles?maxResults=&nextToken=: {"inferenceProfileSummaries": [...], "nextToken"}.
    static void sendInferenceProfiles(http::ResponseWriter &writer, const QByteArray &query);
};

} // namespace quarry::bedrock
