// Desktop-only settings and what an export says about them instead.
#include "config/export/DesktopOnly.h"

#include "config/BudgetAnnotations.h"
#include "config/InlineKeys.h"

#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace quarry::config {

bool DesktopOnly::isLoopbackHost(const QString &host)
{
    return host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0 || host.endsWith(u".localhost"_s) ||
           QHostAddress(host).isLoopback();
}

QStringList DesktopOnly::podIdentityComment()
{
    // IRSA and EKS Pod Identity are the two ways EKS hands a pod an IAM role; both reach the
    // gateway through the AWS default credential chain, as the desktop's profile did.
    return {u"Credentials: none in the manifest. On the cluster the gateway's pods need an IAM role,"_s,
            u"through IRSA (eks.amazonaws.com/role-arn on the proxy's ServiceAccount) or EKS Pod Identity,"_s,
            u"allowed bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on the models used."_s};
}

QStringList DesktopOnly::takeAnnotations(ObjectMeta &meta)
{
    QStringList comments;
    for (auto it = meta.annotations.begin(); it != meta.annotations.end();) {
        if (!it.key().startsWith(kAnnotationPrefix)) {
            ++it;
            continue;
        }
        const QString key = it.key();
        const QString value = it.value();
        if (key == "quarry.dev/aws-profile"_L1) {
            comments.append(
                u"The desktop signed this backend's requests with the AWS profile \"%1\"; a cluster has"_s
                    .arg(value));
            comments.append(
                u"no profiles: give the gateway's pods an IAM role instead (IRSA or EKS Pod Identity)."_s);
        } else if (key == "quarry.dev/sts-endpoint"_L1 || key == "quarry.dev/sso-endpoint"_L1) {
            comments.append(
                u"The desktop fetched credentials from %1 (%2); on the cluster the pod's IAM"_s.arg(
                    value, key.mid(kAnnotationPrefix.size())));
            comments.append(
                u"role (IRSA or EKS Pod Identity) takes its place, with the regional STS endpoint."_s);
        } else if (key == BudgetAnnotations::kDaily || key == BudgetAnnotations::kMonthly ||
                   key == BudgetAnnotations::kHardLimit) {
            comments.append(u"Quarry's spending budget %1: \"%2\" is kept by the desktop only; on AWS,"_s.arg(
                key.mid(kAnnotationPrefix.size()), value));
            comments.append(u"AWS Budgets (cost allocation tags on Bedrock) tracks and alerts on spend."_s);
        } else if (key == InlineKeys::kAnnotation) {
            comments.append(
                u"The API key given inline (`key`) is kept in the desktop's OS keychain, not exported:"_s);
            comments.append(
                u"this backend refers to the Secret(s) %1 instead; put the key there."_s.arg(value));
        } else {
            comments.append(u"Quarry's annotation %1 is for the desktop only and was left out."_s.arg(key));
        }
        it = meta.annotations.erase(it);
    }
    return comments;
}

QString DesktopOnly::dropLoopbackEndpoint(AiProvider &provider, const QString &where)
{
    if (provider.host.isEmpty() || !isLoopbackHost(provider.host))
        return {};
    const QString endpoint =
        provider.host + (provider.port ? u":"_s + QString::number(*provider.port) : QString());
    provider.host.clear();
    provider.port.reset();
    provider.path.clear();
    return u"%1: the endpoint override %2 points at this machine (the simulator or a test); left out, so the "
           "cluster calls Bedrock's regional endpoint"_s.arg(where, endpoint);
}

} // namespace quarry::config
