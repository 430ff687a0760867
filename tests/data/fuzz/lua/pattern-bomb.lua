return (("a"):rep(5000)):find(("a*"):rep(30) .. "b")
