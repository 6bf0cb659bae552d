package pipeline

import "github.com/peermap/peermap/index"

// ErrQuery is wrapped by the error of a search whose query text cannot be
// read (bleve query-string syntax): the user's mistake, not the server's.
var ErrQuery = index.ErrQuery
