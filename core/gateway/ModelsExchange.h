// GET /v1/models: the backend's model, or the region's foundation models and inference profiles,
// in OpenAI's list shape.
#pragma once

#include "gateway/ClientExchange.h"

#include <QJsonArray>

namespace quarry::gateway {

class ModelsExchange : public ClientExchange
{
    Q_OBJECT
public:
    explicit ModelsExchange(Context context) : ClientExchange(std::move(context)) {}

    void begin() override;

    // Where ListFoundationModels goes: the provider host override when there is one (the simulator,
    // a VPC endpoint), else bedrock.<region>.amazonaws.com.
    static BedrockEndpoint controlPlaneFor(const BedrockEndpoint &runtime);

private:
    // More pages than this means something is wrong with nextToken; stop instead of looping.
    static constexpr int MaximumPages = 50;

    void list(const QByteArray &encodedPath, void (ModelsExchange::*onPage)(const QJsonObject &));
    void onFoundationModels(const QJsonObject &page);
    void onInferenceProfiles(const QJsonObject &page);
    void respondWithList();
    QString cacheKey() const;

    QJsonArray m_models;
    int m_pages = 0;
};

} // namespace quarry::gateway
