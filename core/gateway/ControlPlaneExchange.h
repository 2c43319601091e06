// Bedrock's read-only control plane under a route, for clients that look before they call:
// GET {prefix}/foundation-models[/{id}] and {prefix}/inference-profiles[/{id}] (ListFoundationModels,
// GetFoundationModel, ListInferenceProfiles, GetInferenceProfile), sent to bedrock.{region} and
// re-signed with the backend's credentials. Every other method is refused: the gateway holds the
// user's AWS credentials and lends them for reading the model catalogue, not for changing an account.
#pragma once

#include "gateway/NativeExchange.h"

namespace quarry::gateway {

class ControlPlaneExchange : public NativeExchange
{
    Q_OBJECT
public:
    explicit ControlPlaneExchange(Context context) : NativeExchange(std::move(context)) {}

    void begin() override;

private:
    void onFinished(int status, const QByteArray &body, const QByteArray &errorType,
                    const std::optional<bedrock::ApiError> &failure);
};

} // namespace quarry::gateway
