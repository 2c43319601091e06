// The fields of a resource set that Quarry keeps but does not act on, as ReferenceCheck warnings
// (Problem::NotApplied): Gateway API features a single-user desktop gateway has no use for yet,
// and agentgateway policies it does not implement. Each says what Quarry does instead.
#pragma once

#include "config/ReferenceCheck.h"

namespace quarry::config {

class NotAppliedFields
{
public:
    static void check(const ResourceSet &resources, QList<ReferenceWarning> &warnings);
};

} // namespace quarry::config
